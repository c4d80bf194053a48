// Filter plugins: tolerations, taints (incl. those a not-Ready node implies), node affinity,
// host ports and resource fit, with upstream's reasons.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import {
  filterNodePorts,
  filterResources,
  filterTaints,
  filterUnschedulable,
  runFilters,
  toleratesTaint,
} from './filters.js';
import { addPod, newNodeInfo } from './node-info.js';
import type { NodeInfo } from './node-info.js';

function node(
  over: { spec?: object; ready?: string; allocatable?: Record<string, string> } = {},
): KubeObject {
  return {
    metadata: { name: 'n1', labels: { zone: 'a' } },
    spec: over.spec ?? {},
    status: {
      allocatable: over.allocatable ?? { cpu: '2', memory: '1Gi', pods: '3' },
      conditions:
        over.ready === undefined
          ? [{ type: 'Ready', status: 'True' }]
          : over.ready
            ? [{ type: 'Ready', status: over.ready }]
            : [],
    },
  };
}

function pod(
  spec: Partial<NonNullable<Pod['spec']>> = {},
  requests: Record<string, string> = {},
): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: Math.random().toString() },
    spec: { containers: [{ name: 'c', image: 'i', resources: { requests } }], ...spec },
  };
}

function info(n: KubeObject, pods: Pod[] = []): NodeInfo {
  const i = newNodeInfo(n);
  pods.forEach((p) => addPod(i, p));
  return i;
}

describe('toleratesTaint', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    [{ key: 'dedicated', value: 'gpu' }, true],
    [{ key: 'dedicated', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'dedicated', value: 'cpu' }, false],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: 'dedicated', operator: 'Gt', value: 'gpu' }, false],
  ])('%j → %s', (toleration, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
});

describe('filterTaints', () => {
  it.each([
    [
      node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
      'node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      node({ spec: { taints: [{ key: 'k', effect: 'NoExecute' }] } }),
      'node(s) had untolerated taint {k: }',
    ],
    [node({ spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } }), undefined],
    [node({ ready: 'False' }), 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    [
      node({ ready: 'Unknown' }),
      'node(s) had untolerated taint {node.kubernetes.io/unreachable: }',
    ],
    [node({ ready: '' }), 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    [node(), undefined],
  ])('%#: %s', (n, reason) => {
    const status = filterTaints(pod(), info(n));
    expect(status?.reasons[0]).toBe(reason);
    expect(status?.code).toBe(reason ? 'UnschedulableAndUnresolvable' : undefined);
  });

  it('passes a pod tolerating a not-ready node', () => {
    const p = pod({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
    expect(filterTaints(p, info(node({ ready: 'False' })))).toBeUndefined();
  });
});

describe('filterUnschedulable', () => {
  it.each([
    [{}, [], undefined],
    [{ unschedulable: true }, [], 'node(s) were unschedulable'],
    [
      { unschedulable: true },
      [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      undefined,
    ],
    [{ unschedulable: true }, [{ operator: 'Exists' }], undefined],
  ])('spec %j tolerations %j', (spec, tolerations, reason) => {
    expect(filterUnschedulable(pod({ tolerations }), info(node({ spec })))?.reasons[0]).toBe(
      reason,
    );
  });
});

describe('filterNodePorts', () => {
  const withPort = (hostPort: number, hostIP?: string, protocol?: string): Pod =>
    pod({
      containers: [
        { name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] },
      ],
    });
  it.each([
    [withPort(8080), withPort(8080), true],
    [withPort(8080), withPort(8081), false],
    [withPort(8080, '10.0.0.1'), withPort(8080, '10.0.0.2'), false],
    [withPort(8080, '10.0.0.1'), withPort(8080), true],
    [withPort(8080, undefined, 'UDP'), withPort(8080), false],
  ])('%#', (existing, incoming, isConflict) => {
    const status = filterNodePorts(incoming, info(node(), [existing]));
    expect(status?.reasons).toEqual(
      isConflict ? ["node(s) didn't have free ports for the requested pod ports"] : undefined,
    );
  });
});

describe('filterResources', () => {
  it.each([
    ['fits', { cpu: '1', memory: '512Mi' }, [], undefined],
    ['cpu', { cpu: '1500m' }, [{ cpu: '1' }], ['Insufficient cpu']],
    [
      'cpu and memory',
      { cpu: '3', memory: '2Gi' },
      [],
      ['Insufficient cpu', 'Insufficient memory'],
    ],
    ['extended resource', { 'example.com/gpu': '1' }, [], ['Insufficient example.com/gpu']],
    ['pod count', {}, [{}, {}, {}], ['Too many pods']],
    ['pod count first', { cpu: '3' }, [{}, {}, {}], ['Too many pods', 'Insufficient cpu']],
  ])('%s', (_name, requests, existing, reasons) => {
    const i = info(
      node(),
      existing.map((r) => pod({}, r)),
    );
    expect(filterResources(pod({}, requests), i)?.reasons).toEqual(reasons);
  });
});

describe('runFilters', () => {
  it('stops at the first rejecting plugin, as the framework does', () => {
    const n = node({ spec: { unschedulable: true } });
    expect(runFilters(pod({ nodeSelector: { zone: 'b' } }, { cpu: '9' }), info(n))).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) were unschedulable'],
    });
  });
});
