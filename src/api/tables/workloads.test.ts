import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import {
  cronJobPrinter,
  deploymentPrinter,
  jobPrinter,
  pdbPrinter,
  replicaSetPrinter,
} from './workloads.js';

type Json = Record<string, unknown>;
const now = new Date('2025-01-10T12:00:00Z');
const obj = (fields: Json, meta: Json = {}): KubeObject => ({
  metadata: { name: 'web', creationTimestamp: '2025-01-10T11:58:00Z', ...meta },
  ...fields,
});
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'app', image: 'node:20' },
      { name: 'log', image: 'busybox' },
    ],
  },
};

describe('deployment printer', () => {
  it.each<[string, Json, unknown[]]>([
    [
      'ready deployment',
      {
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
        status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      },
      ['web', '2/3', 3, 2, '2m', 'app,log', 'node:20,busybox', 'app=web'],
    ],
    [
      'no status yet',
      { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } },
      ['web', '0/2', 0, 0, '2m', 'app,log', 'node:20,busybox', 'app=web'],
    ],
    [
      'scaled to zero',
      { spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template }, status: {} },
      ['web', '0/0', 0, 0, '2m', 'app,log', 'node:20,busybox', 'app=web'],
    ],
    [
      'expression selector',
      {
        spec: {
          replicas: 1,
          selector: {
            matchLabels: { tier: 'fe' },
            matchExpressions: [
              { key: 'app', operator: 'In', values: ['web', 'api'] },
              { key: 'canary', operator: 'DoesNotExist' },
            ],
          },
          template,
        },
      },
      ['web', '0/1', 0, 0, '2m', 'app,log', 'node:20,busybox', 'app in (api,web),!canary,tier=fe'],
    ],
    [
      'invalid selector',
      {
        spec: {
          replicas: 1,
          selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
          template,
        },
      },
      ['web', '0/1', 0, 0, '2m', 'app,log', 'node:20,busybox', '<invalid>'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(deploymentPrinter.cells(obj(fields), now)).toEqual(want);
  });

  it('has the upstream columns', () => {
    expect(deploymentPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0',
      'Ready:string:0',
      'Up-to-date:string:0',
      'Available:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });
});

describe('replicaset printer', () => {
  it.each<[string, Json, unknown[]]>([
    [
      'running',
      {
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web', 'pod-template-hash': '8f8h8ks755' } },
          template,
        },
        status: { replicas: 3, readyReplicas: 1 },
      },
      ['web', 3, 3, 1, '2m', 'app,log', 'node:20,busybox', 'app=web,pod-template-hash=8f8h8ks755'],
    ],
    [
      'old revision',
      { spec: { replicas: 0, selector: {}, template }, status: { replicas: 0 } },
      ['web', 0, 0, 0, '2m', 'app,log', 'node:20,busybox', '<none>'],
    ],
    [
      'invalid selector',
      {
        spec: {
          replicas: 1,
          selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
          template,
        },
      },
      ['web', 1, 0, 0, '2m', 'app,log', 'node:20,busybox', '<error>'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(replicaSetPrinter.cells(obj(fields), now)).toEqual(want);
  });
});

describe('job printer', () => {
  const job = (spec: Json, status: Json = {}, meta: Json = {}): KubeObject =>
    obj(
      {
        spec: {
          selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
          template,
          ...spec,
        },
        status,
      },
      meta,
    );
  const done = (type: string): Json => ({ conditions: [{ type, status: 'True' }] });

  const started = { startTime: '2025-01-10T11:59:00Z' };
  const finished = {
    succeeded: 1,
    startTime: '2025-01-10T11:58:00Z',
    completionTime: '2025-01-10T11:58:12Z',
  };
  const deleting = { deletionTimestamp: '2025-01-10T11:59:59Z' };

  // [case, job, [STATUS, COMPLETIONS, DURATION]]
  it.each<[string, KubeObject, string[]]>([
    ['running', job({ completions: 3 }, { succeeded: 1, ...started }), ['Running', '1/3', '60s']],
    ['not started', job({ completions: 1 }), ['Running', '0/1', '']],
    [
      'complete',
      job({ completions: 1 }, { ...finished, ...done('Complete') }),
      ['Complete', '1/1', '12s'],
    ],
    ['failed', job({ completions: 1 }, done('Failed')), ['Failed', '0/1', '']],
    ['suspended', job({ completions: 1 }, done('Suspended')), ['Suspended', '0/1', '']],
    [
      'failure target',
      job({ completions: 1 }, done('FailureTarget')),
      ['FailureTarget', '0/1', ''],
    ],
    ['terminating', job({ completions: 1 }, {}, deleting), ['Terminating', '0/1', '']],
    ['complete wins over deleting', job({}, done('Complete'), deleting), ['Complete', '0/1', '']],
    [
      'work queue',
      job({ completions: null, parallelism: 3 }, { succeeded: 2 }),
      ['Running', '2/1 of 3', ''],
    ],
    ['single worker', job({ parallelism: 1 }), ['Running', '0/1', '']],
  ])('%s', (_name, o, want) => {
    const row = jobPrinter.cells(o, now);
    expect(row.slice(1, 4)).toEqual(want);
    const wide = ['app,log', 'node:20,busybox', 'batch.kubernetes.io/controller-uid=u1'];
    expect(row.slice(5)).toEqual(wide);
  });
});

describe('cronjob printer', () => {
  const jobTemplate = { spec: { template } };
  it.each<[string, Json, unknown[]]>([
    [
      'never scheduled',
      { spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate } },
      [
        'web',
        '*/5 * * * *',
        '<none>',
        'False',
        0,
        '<none>',
        '2m',
        'app,log',
        'node:20,busybox',
        '<none>',
      ],
    ],
    [
      'active, with time zone',
      {
        spec: { schedule: '@hourly', timeZone: 'Etc/UTC', suspend: true, jobTemplate },
        status: { active: [{ name: 'web-1' }], lastScheduleTime: '2025-01-10T11:59:30Z' },
      },
      ['web', '@hourly', 'Etc/UTC', 'True', 1, '30s', '2m', 'app,log', 'node:20,busybox', '<none>'],
    ],
    [
      'suspend unset',
      { spec: { schedule: '0 0 * * *', jobTemplate } },
      [
        'web',
        '0 0 * * *',
        '<none>',
        '<unset>',
        0,
        '<none>',
        '2m',
        'app,log',
        'node:20,busybox',
        '<none>',
      ],
    ],
  ])('%s', (_name, fields, want) => {
    expect(cronJobPrinter.cells(obj(fields), now)).toEqual(want);
  });
});

describe('pdb printer', () => {
  it.each<[string, Json, unknown[]]>([
    [
      'min available',
      { spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } },
      ['web', '2', 'N/A', 1, '2m'],
    ],
    [
      'max unavailable percent',
      { spec: { maxUnavailable: '25%' } },
      ['web', 'N/A', '25%', 0, '2m'],
    ],
    [
      'zero is not unset',
      { spec: { minAvailable: 0 }, status: { disruptionsAllowed: 3 } },
      ['web', '0', 'N/A', 3, '2m'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(pdbPrinter.cells(obj(fields), now)).toEqual(want);
  });
});
