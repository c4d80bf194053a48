import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { podPrinter } from './pod.js';

const now = new Date('2025-01-10T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();

type Status = Record<string, unknown>;

function pod(
  status: Status,
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(90), ...meta },
    spec: { containers: [{ name: 'app' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(80) } };
const ready = (name = 'app', extra: Status = {}): Status => ({
  name,
  ready: true,
  restartCount: 0,
  state: running,
  ...extra,
});
const waiting = (reason: string): Status => ({ state: { waiting: { reason } } });
const terminated = (t: Status): Status => ({ state: { terminated: t } });
const cond = (type: string, status = 'True', reason?: string): Status => ({ type, status, reason });
const twoApps = { containers: [{ name: 'a' }, { name: 'b' }] };

function cells(p: KubeObject): unknown[] {
  return podPrinter.cells(p, now);
}

describe('pod STATUS and READY', () => {
  it.each<[string, KubeObject, string, string]>([
    ['pending, no statuses', pod({ phase: 'Pending' }), 'Pending', '0/1'],
    ['no status at all', { metadata: { name: 'x' }, spec: {} }, '', '0/0'],
    [
      'waiting reason wins',
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'app', ...waiting('ContainerCreating') }],
      }),
      'ContainerCreating',
      '0/1',
    ],
    [
      'running and ready',
      pod({ phase: 'Running', containerStatuses: [ready()] }),
      'Running',
      '1/1',
    ],
    [
      'running, not ready',
      pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: running }] }),
      'Running',
      '0/1',
    ],
    [
      'crash loop',
      pod({
        phase: 'Running',
        containerStatuses: [{ name: 'app', ...waiting('CrashLoopBackOff') }],
      }),
      'CrashLoopBackOff',
      '0/1',
    ],
    [
      'completed',
      pod({
        phase: 'Succeeded',
        containerStatuses: [{ name: 'app', ...terminated({ exitCode: 0, reason: 'Completed' }) }],
      }),
      'Completed',
      '0/1',
    ],
    [
      'error',
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'app', ...terminated({ exitCode: 1, reason: 'Error' }) }],
      }),
      'Error',
      '0/1',
    ],
    [
      'OOMKilled',
      pod({
        phase: 'Running',
        containerStatuses: [{ name: 'app', ...terminated({ exitCode: 137, reason: 'OOMKilled' }) }],
      }),
      'OOMKilled',
      '0/1',
    ],
    [
      'signal without reason',
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'app', ...terminated({ exitCode: 137, signal: 9 }) }],
      }),
      'Signal:9',
      '0/1',
    ],
    [
      'exit code without reason',
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'app', ...terminated({ exitCode: 2 }) }],
      }),
      'ExitCode:2',
      '0/1',
    ],
    [
      'exit 0 without reason',
      pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', ...terminated({}) }] }),
      'ExitCode:0',
      '0/1',
    ],
    [
      'first container decides (statuses read last to first)',
      pod(
        {
          phase: 'Failed',
          containerStatuses: [
            { name: 'a', ...terminated({ exitCode: 0, reason: 'Completed' }) },
            { name: 'b', ...terminated({ exitCode: 1, reason: 'Error' }) },
          ],
        },
        twoApps,
      ),
      'Completed',
      '0/2',
    ],
    [
      'error first',
      pod(
        {
          phase: 'Failed',
          containerStatuses: [
            { name: 'a', ...terminated({ exitCode: 1, reason: 'Error' }) },
            { name: 'b', ...terminated({ exitCode: 0, reason: 'Completed' }) },
          ],
        },
        twoApps,
      ),
      'Error',
      '0/2',
    ],
    [
      'completed with a running container and Ready',
      pod(
        {
          phase: 'Running',
          conditions: [cond('Ready')],
          containerStatuses: [
            ready('a'),
            { name: 'b', ...terminated({ exitCode: 0, reason: 'Completed' }) },
          ],
        },
        twoApps,
      ),
      'Running',
      '1/2',
    ],
    [
      'completed with a running container, not Ready',
      pod(
        {
          phase: 'Running',
          conditions: [cond('Ready', 'False')],
          containerStatuses: [
            ready('a'),
            { name: 'b', ...terminated({ exitCode: 0, reason: 'Completed' }) },
          ],
        },
        twoApps,
      ),
      'NotReady',
      '1/2',
    ],
    [
      'status.reason overrides phase',
      pod({ phase: 'Failed', reason: 'Evicted' }),
      'Evicted',
      '0/1',
    ],
    [
      'scheduling gated',
      pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] }),
      'SchedulingGated',
      '0/1',
    ],
    [
      'unschedulable stays Pending',
      pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] }),
      'Pending',
      '0/1',
    ],
  ])('%s', (_name, p, status, readyText) => {
    const row = cells(p);
    expect(row[2]).toBe(status);
    expect(row[1]).toBe(readyText);
  });
});

describe('pod STATUS while deleting', () => {
  const deleting = { deletionTimestamp: ago(1) };
  it.each<[string, KubeObject, string]>([
    [
      'running pod',
      pod({ phase: 'Running', containerStatuses: [ready()] }, {}, deleting),
      'Terminating',
    ],
    ['pending pod', pod({ phase: 'Pending' }, {}, deleting), 'Terminating'],
    [
      'succeeded pod keeps its status',
      pod(
        {
          phase: 'Succeeded',
          containerStatuses: [{ name: 'app', ...terminated({ exitCode: 0, reason: 'Completed' }) }],
        },
        {},
        deleting,
      ),
      'Completed',
    ],
    [
      'failed pod keeps its status',
      pod(
        {
          phase: 'Failed',
          containerStatuses: [{ name: 'app', ...terminated({ exitCode: 1, reason: 'Error' }) }],
        },
        {},
        deleting,
      ),
      'Error',
    ],
    [
      'node lost',
      pod({ phase: 'Running', reason: 'NodeLost', containerStatuses: [ready()] }, {}, deleting),
      'Unknown',
    ],
  ])('%s', (_name, p, status) => {
    expect(cells(p)[2]).toBe(status);
  });
});

describe('pod wide cells', () => {
  it('renders every column in order', () => {
    const p = pod(
      {
        phase: 'Running',
        podIP: '10.244.0.12',
        podIPs: [{ ip: '10.244.0.12' }, { ip: 'fd00::12' }],
        nominatedNodeName: 'node2',
        conditions: [
          cond('Ready'),
          cond('example.com/gate-a'),
          cond('example.com/gate-b', 'False'),
        ],
        containerStatuses: [ready()],
      },
      {
        nodeName: 'node1',
        readinessGates: [
          { conditionType: 'example.com/gate-a' },
          { conditionType: 'example.com/gate-b' },
        ],
      },
    );
    expect(cells(p)).toEqual([
      'web-1',
      '1/1',
      'Running',
      '0',
      '90s',
      '10.244.0.12',
      'node1',
      'node2',
      '1/2',
    ]);
  });

  it.each<[string, Status, string]>([
    ['podIPs only', { podIPs: [{ ip: '10.0.0.1' }] }, '10.0.0.1'],
    ['podIP only', { podIP: '10.0.0.2' }, '10.0.0.2'],
    ['no IP', {}, '<none>'],
  ])('IP from %s', (_name, status, want) => {
    expect(cells(pod({ phase: 'Running', ...status }))[5]).toBe(want);
  });

  it('uses <none> for unscheduled pods and missing gates', () => {
    expect(cells(pod({ phase: 'Pending' })).slice(5)).toEqual([
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('has the upstream columns', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.type, c.priority, c.format])).toEqual([
      ['Name', 'string', 0, 'name'],
      ['Ready', 'string', 0, ''],
      ['Status', 'string', 0, ''],
      ['Restarts', 'string', 0, ''],
      ['Age', 'string', 0, ''],
      ['IP', 'string', 1, ''],
      ['Node', 'string', 1, ''],
      ['Nominated Node', 'string', 1, ''],
      ['Readiness Gates', 'string', 1, ''],
    ]);
  });
});
