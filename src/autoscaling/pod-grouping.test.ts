// groupPods and calculateRequests tables, from upstream's TestGroupPods and TestCalculateRequests.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../apis/core/v1/types.js';
import { calculateRequests, groupPods, readyPodsCount } from './pod-grouping.js';
import type { PodSamples } from './samples.js';
import { NOW, ago } from './testing/fixtures.js';

const TIMING = {
  cpuInitializationPeriodMs: 120_000,
  initialReadinessDelayMs: 10_000,
  nowMs: NOW.getTime(),
};
const now = NOW.toISOString();

function pod(
  name: string,
  status: Record<string, unknown>,
  extra: Partial<Pod['metadata']> = {},
): Pod {
  return { metadata: { name, ...extra }, status };
}
const ready = (status: 'True' | 'False', lastTransitionTime: string): Record<string, unknown>[] => [
  { type: 'Ready', status, lastTransitionTime },
];
function sample(
  value = 1,
  timestamp?: string,
  windowSeconds = 0,
): PodSamples extends Map<string, infer S> ? S : never {
  return {
    value: BigInt(value),
    timestampMs: timestamp ? Date.parse(timestamp) : -62135596800000,
    windowMs: windowSeconds * 1000,
  };
}

describe('groupPods', () => {
  // prettier-ignore
  it.each([
    { name: 'void', pods: [], samples: {}, resource: 'cpu', want: [0, [], [], []] },
    { name: 'count in a ready pod - memory', pods: [pod('bentham', { phase: 'Running' })], samples: { bentham: sample(1, now, 60) }, resource: 'memory', want: [1, [], [], []] },
    { name: 'unready a pod without ready condition - CPU', pods: [pod('lucretius', { phase: 'Running', startTime: now })], samples: { lucretius: sample() }, resource: 'cpu', want: [0, ['lucretius'], [], []] },
    { name: 'count in a ready pod with fresh metrics during initialization period - CPU', pods: [pod('bentham', { phase: 'Running', startTime: ago(60), conditions: ready('True', ago(30)) })], samples: { bentham: sample(1, now, 30) }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'unready a ready pod without fresh metrics during initialization period - CPU', pods: [pod('bentham', { phase: 'Running', startTime: ago(60), conditions: ready('True', ago(30)) })], samples: { bentham: sample(1, now, 60) }, resource: 'cpu', want: [0, ['bentham'], [], []] },
    { name: 'unready an unready pod during initialization period - CPU', pods: [pod('lucretius', { phase: 'Running', startTime: ago(600), conditions: ready('False', ago(594)) })], samples: { lucretius: sample() }, resource: 'cpu', want: [0, ['lucretius'], [], []] },
    { name: 'count in a ready pod without fresh metrics after initialization period - CPU', pods: [pod('bentham', { phase: 'Running', startTime: ago(180), conditions: ready('True', ago(180)) })], samples: { bentham: sample(1, ago(120), 60) }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'count in an unready pod that was ready after initialization period - CPU', pods: [pod('lucretius', { phase: 'Running', startTime: ago(600), conditions: ready('False', ago(540)) })], samples: { lucretius: sample() }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'unready pod exactly at the initial readiness delay still counts (strict comparison)', pods: [pod('lucretius', { phase: 'Running', startTime: ago(600), conditions: ready('False', ago(590)) })], samples: { lucretius: sample() }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'a sample exactly one window after the transition is fresh', pods: [pod('bentham', { phase: 'Running', startTime: ago(60), conditions: ready('True', ago(30)) })], samples: { bentham: sample(1, now, 30) }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'Ready Unknown is not False', pods: [pod('u', { phase: 'Running', startTime: ago(600), conditions: ready('Unknown' as 'True', ago(599)) })], samples: { u: sample() }, resource: 'cpu', want: [1, [], [], []] },
    { name: 'a missing pod', pods: [pod('epicurus', { phase: 'Running', startTime: ago(180) })], samples: {}, resource: 'cpu', want: [0, [], ['epicurus'], []] },
    { name: 'several pods', pods: [pod('lucretius', { phase: 'Running', startTime: now }), pod('niccolo', { phase: 'Running', startTime: ago(180), conditions: ready('True', ago(180)) }), pod('epicurus', { phase: 'Running', startTime: ago(180) })], samples: { lucretius: sample(), niccolo: sample() }, resource: 'cpu', want: [1, ['lucretius'], ['epicurus'], []] },
    { name: 'pending pods are unreadied', pods: [pod('unscheduled', { phase: 'Pending' })], samples: {}, resource: 'cpu', want: [0, ['unscheduled'], [], []] },
    { name: 'ignore pods with deletion timestamps', pods: [pod('deleted', { phase: 'Pending' }, { deletionTimestamp: '1970-01-01T00:00:01Z' })], samples: { deleted: sample() }, resource: 'cpu', want: [0, [], [], ['deleted']] },
    { name: 'ignore pods in a failed state', pods: [pod('failed', { phase: 'Failed' })], samples: { failed: sample() }, resource: 'cpu', want: [0, [], [], ['failed']] },
    { name: 'ignore pods in a succeeded state', pods: [pod('succeeded', { phase: 'Succeeded' })], samples: { succeeded: sample() }, resource: 'cpu', want: [0, [], [], ['succeeded']] },
    { name: 'custom metrics ignore readiness', pods: [pod('hot', { phase: 'Running', startTime: now, conditions: ready('False', now) })], samples: { hot: sample() }, resource: '', want: [1, [], [], []] },
  ] as {
    name: string;
    pods: Pod[];
    samples: Record<string, ReturnType<typeof sample>>;
    resource: string;
    want: [number, string[], string[], string[]];
  }[])('$name', ({ pods, samples, resource, want }) => {
    const g = groupPods(pods, new Map(Object.entries(samples)), resource, TIMING);
    expect([g.readyPodCount, [...g.unready], [...g.missing], [...g.ignored]]).toEqual(want);
  });
});

const cpu = (milli: number): { requests: { cpu: string } } => ({ requests: { cpu: `${milli}m` } });

describe('calculateRequests', () => {
  // prettier-ignore
  it.each([
    { name: 'void', pods: [], container: '', want: {} },
    { name: 'sums container requests', pods: [{ metadata: { name: 'test-pod' }, spec: { containers: [{ name: 'container1', resources: cpu(100) }, { name: 'container2', resources: cpu(50) }] } }], container: '', want: { 'test-pod': 150n } },
    { name: 'pod-level requests override container requests', pods: [{ metadata: { name: 'test-pod' }, spec: { resources: cpu(800), containers: [{ name: 'container1', resources: cpu(100) }, { name: 'container2', resources: cpu(50) }] } }], container: '', want: { 'test-pod': 800n } },
    { name: 'pod-level requests override missing container requests', pods: [{ metadata: { name: 'test-pod' }, spec: { resources: cpu(800), containers: [{ name: 'container1' }, { name: 'container2', resources: cpu(50) }] } }], container: '', want: { 'test-pod': 800n } },
    { name: 'a named container counts alone', pods: [{ metadata: { name: 'test-pod' }, spec: { containers: [{ name: 'container1', resources: cpu(100) }, { name: 'container2', resources: cpu(50) }] } }], container: 'container1', want: { 'test-pod': 100n } },
    { name: 'a named container wins over pod-level requests', pods: [{ metadata: { name: 'test-pod' }, spec: { resources: cpu(800), containers: [{ name: 'container1', resources: cpu(100) }, { name: 'container2', resources: cpu(50) }] } }], container: 'container1', want: { 'test-pod': 100n } },
    { name: 'restartable init containers (sidecars) count', pods: [{ metadata: { name: 'test-pod' }, spec: { containers: [{ name: 'container1', resources: cpu(100) }], initContainers: [{ name: 'init-container1', resources: cpu(20) }, { name: 'restartable-container1', restartPolicy: 'Always', resources: cpu(50) }] } }], container: '', want: { 'test-pod': 150n } },
  ] as { name: string; pods: Pod[]; container: string; want: Record<string, bigint> }[])(
    '$name',
    ({ pods, container, want }) => {
      expect(Object.fromEntries(calculateRequests(pods, container, 'cpu'))).toEqual(want);
    },
  );

  // prettier-ignore
  it.each([
    { name: 'a container without a request', spec: { containers: [{ name: 'container1' }, { name: 'container2', resources: cpu(50) }] }, container: '', error: 'missing request for cpu in container container1 of Pod test-pod' },
    { name: 'a container that does not exist', spec: { containers: [{ name: 'container1', resources: cpu(100) }] }, container: 'non-existent-container', error: 'container non-existent-container not found in Pod test-pod' },
    { name: 'pod-level requests without the resource', spec: { resources: { requests: { memory: '1Gi' } }, containers: [{ name: 'c', resources: cpu(100) }] }, container: '', error: 'missing pod-level request for cpu in Pod test-pod' },
  ] as { name: string; spec: Pod['spec']; container: string; error: string }[])(
    'errors: $name',
    ({ spec, container, error }) => {
      const pods: Pod[] = [{ metadata: { name: 'test-pod' }, spec }];
      expect(() => calculateRequests(pods, container, 'cpu')).toThrow(error);
    },
  );
});

describe('readyPodsCount', () => {
  it('counts Running pods with Ready=True only', () => {
    const pods = [
      pod('a', { phase: 'Running', conditions: ready('True', now) }),
      pod('b', { phase: 'Pending', conditions: ready('True', now) }),
      pod('c', { phase: 'Running', conditions: ready('False', now) }),
    ];
    expect(readyPodsCount(pods)).toBe(1);
    expect(() => readyPodsCount([])).toThrow(
      'no pods returned by selector while calculating replica count',
    );
  });
});
