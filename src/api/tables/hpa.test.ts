import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { formatHPAMetrics, hpaPrinter } from './hpa.js';

type Json = Record<string, unknown>;

const cpuUtil = (target?: number): Json => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
});
const memValue = (averageValue: string): Json => ({
  type: 'Resource',
  resource: { name: 'memory', target: { type: 'AverageValue', averageValue } },
});
const cpuNow = (current: Json): Json => ({ type: 'Resource', resource: { name: 'cpu', current } });
const memNow = (current: Json): Json => ({
  type: 'Resource',
  resource: { name: 'memory', current },
});
const containerCpu = (target: Json): Json => ({
  type: 'ContainerResource',
  containerResource: { name: 'cpu', container: 'app', target },
});
const pods = (averageValue: string): Json => ({
  type: 'Pods',
  pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue } },
});
const object = (target: Json): Json => ({
  type: 'Object',
  object: { metric: { name: 'hits' }, describedObject: { kind: 'Service', name: 'web' }, target },
});
const external = (target: Json): Json => ({
  type: 'External',
  external: { metric: { name: 'queue' }, target },
});

describe('formatHPAMetrics', () => {
  it.each<[string, Json[] | undefined, Json[] | undefined, string]>([
    ['no metrics', undefined, undefined, '<none>'],
    ['empty metrics', [], [], '<none>'],
    ['cpu utilization, no status yet', [cpuUtil(50)], undefined, 'cpu: <unknown>/50%'],
    [
      'cpu utilization',
      [cpuUtil(50)],
      [cpuNow({ averageUtilization: 72, averageValue: '360m' })],
      'cpu: 72%/50%',
    ],
    ['cpu utilization 0%', [cpuUtil(50)], [cpuNow({ averageUtilization: 0 })], 'cpu: 0%/50%'],
    [
      'status without utilization',
      [cpuUtil(50)],
      [cpuNow({ averageValue: '100m' })],
      'cpu: <unknown>/50%',
    ],
    ['utilization target missing', [cpuUtil()], undefined, 'cpu: <unknown>/<auto>'],
    [
      'memory average value',
      [memValue('500Mi')],
      [memNow({ averageValue: '250Mi' })],
      'memory: 250Mi/500Mi',
    ],
    ['memory average value, no status', [memValue('500Mi')], undefined, 'memory: <unknown>/500Mi'],
    ['average value missing in status', [memValue('500Mi')], [memNow({})], 'memory: <nil>/500Mi'],
    [
      'quantities are canonicalised',
      [memValue('1536Mi')],
      [memNow({ averageValue: '1024Mi' })],
      'memory: 1Gi/1536Mi',
    ],
    [
      'cpu average value in millicores',
      [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '0.5' } },
        },
      ],
      [cpuNow({ averageValue: '250m' })],
      'cpu: 250m/500m',
    ],
    [
      'container resource utilization',
      [containerCpu({ type: 'Utilization', averageUtilization: 60 })],
      [
        {
          type: 'ContainerResource',
          containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 30 } },
        },
      ],
      'cpu: 30%/60%',
    ],
    [
      'container resource, no status',
      [containerCpu({ type: 'Utilization', averageUtilization: 60 })],
      [],
      'cpu: <unknown>/60%',
    ],
    [
      'container resource average value',
      [containerCpu({ type: 'AverageValue', averageValue: '500m' })],
      [
        {
          type: 'ContainerResource',
          containerResource: { name: 'cpu', container: 'app', current: { averageValue: '250m' } },
        },
      ],
      'cpu: 250m/500m',
    ],
    [
      'pods metric',
      [pods('1k')],
      [{ type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '500' } } }],
      '500/1k',
    ],
    ['pods metric, no status', [pods('1k')], undefined, '<unknown>/1k'],
    [
      'object value',
      [object({ type: 'Value', value: '10' })],
      [{ type: 'Object', object: { current: { value: '7' } } }],
      '7/10',
    ],
    [
      'object value, no status',
      [object({ type: 'Value', value: '10' })],
      undefined,
      '<unknown>/10',
    ],
    [
      'object average value',
      [object({ type: 'AverageValue', averageValue: '5' })],
      [{ type: 'Object', object: { current: { averageValue: '3' } } }],
      '3/5 (avg)',
    ],
    [
      'object average value, status without it',
      [object({ type: 'AverageValue', averageValue: '5' })],
      [{ type: 'Object', object: { current: { value: '3' } } }],
      '<unknown>/5 (avg)',
    ],
    [
      'external value',
      [external({ type: 'Value', value: '100' })],
      [{ type: 'External', external: { current: { value: '42' } } }],
      '42/100',
    ],
    [
      'external average value',
      [external({ type: 'AverageValue', averageValue: '30' })],
      undefined,
      '<unknown>/30 (avg)',
    ],
    [
      'external average value with status',
      [external({ type: 'AverageValue', averageValue: '30' })],
      [{ type: 'External', external: { current: { averageValue: '1500m' } } }],
      '1500m/30 (avg)',
    ],
    ['unknown metric type', [{ type: 'Bogus' }], undefined, '<unknown type>'],
    [
      'two metrics',
      [cpuUtil(50), memValue('500Mi')],
      [cpuNow({ averageUtilization: 72 }), memNow({ averageValue: '250Mi' })],
      'cpu: 72%/50%, memory: 250Mi/500Mi',
    ],
    [
      'three metrics',
      [cpuUtil(50), memValue('500Mi'), pods('1k')],
      [cpuNow({ averageUtilization: 72 })],
      'cpu: 72%/50%, memory: <unknown>/500Mi + 1 more...',
    ],
    [
      'five metrics',
      [cpuUtil(50), cpuUtil(60), cpuUtil(70), cpuUtil(80), cpuUtil(90)],
      undefined,
      'cpu: <unknown>/50%, cpu: <unknown>/60% + 3 more...',
    ],
    [
      'statuses pair by position',
      [memValue('500Mi'), cpuUtil(50)],
      [cpuNow({ averageUtilization: 72 })],
      'memory: <nil>/500Mi, cpu: <unknown>/50%',
    ],
  ])('%s', (_name, specs, statuses, want) => {
    expect(formatHPAMetrics(specs, statuses)).toBe(want);
  });
});

describe('hpa printer', () => {
  const now = new Date('2025-01-10T12:00:00Z');
  const hpa = (spec: Json, status?: Json): KubeObject => ({
    metadata: { name: 'web', creationTimestamp: '2025-01-10T11:59:58Z' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 10,
      ...spec,
    },
    status,
  });

  it.each<[string, KubeObject, unknown[]]>([
    [
      'fresh autoscaler',
      hpa({ minReplicas: 2, metrics: [cpuUtil(50)] }),
      ['web', 'Deployment/web', 'cpu: <unknown>/50%', '2', 10, 0, '2s'],
    ],
    [
      'with status',
      hpa(
        { minReplicas: 2, metrics: [cpuUtil(50)] },
        {
          currentReplicas: 2,
          desiredReplicas: 3,
          currentMetrics: [cpuNow({ averageUtilization: 72 })],
        },
      ),
      ['web', 'Deployment/web', 'cpu: 72%/50%', '2', 10, 2, '2s'],
    ],
    [
      'min replicas unset',
      hpa({ metrics: [] }),
      ['web', 'Deployment/web', '<none>', '<unset>', 10, 0, '2s'],
    ],
  ])('%s', (_name, obj, want) => {
    expect(hpaPrinter.cells(obj, now)).toEqual(want);
  });

  it('has the upstream columns', () => {
    expect(hpaPrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Reference', 'string', 0],
      ['Targets', 'string', 0],
      ['MinPods', 'string', 0],
      ['MaxPods', 'string', 0],
      ['Replicas', 'string', 0],
      ['Age', 'string', 0],
    ]);
  });
});
