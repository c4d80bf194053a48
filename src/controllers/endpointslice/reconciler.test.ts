// Tests of the pure slice plan: splitting, placement, placeholders, ownership, annotations.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../apis/core/v1/types.js';
import { reconcileSlices } from './reconciler.js';
import type { SlicePlan } from './reconciler.js';
import type { EndpointSlice } from './types.js';

const svc: Service = {
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { team: 'a' } },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    ipFamilies: ['IPv4'],
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
};

function pod(i: number, opts: { ready?: boolean; hostPort?: number; deleting?: boolean } = {}) {
  const p: Pod = {
    metadata: { name: `p${i}`, namespace: 'ns', uid: `uid-${i}` },
    spec: {
      nodeName: 'n1',
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }],
    },
    status: {
      phase: 'Running',
      podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
  if (opts.hostPort) {
    p.metadata.annotations = { 'kubeproc.io/port-map': JSON.stringify({ 8080: opts.hostPort }) };
  }
  if (opts.deleting) {
    p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  }
  return p;
}

const pods = (n: number) => Array.from({ length: n }, (_, i) => pod(i));

let serial = 0;
/** What the API would hold after the plan ran: creates get names, updates replace. */
function applyPlan(existing: EndpointSlice[], plan: SlicePlan): EndpointSlice[] {
  const gone = new Set([...plan.toDelete, ...plan.toUpdate].map((s) => s.metadata.name));
  const created = plan.toCreate.map((s) => ({
    ...s,
    metadata: { ...s.metadata, name: `web-${++serial}`, resourceVersion: '1' },
  }));
  return [...existing.filter((s) => !gone.has(s.metadata.name)), ...plan.toUpdate, ...created];
}

const sizes = (slices: EndpointSlice[]) => slices.map((s) => s.endpoints?.length ?? 0);
const writes = (plan: SlicePlan) => [
  plan.toCreate.length,
  plan.toUpdate.length,
  plan.toDelete.length,
];

function settle(podList: Pod[], existing: EndpointSlice[] = [], service = svc) {
  const plan = reconcileSlices({ service, pods: podList, existing, triggerMs: 0 });
  return { plan, slices: applyPlan(existing, plan) };
}

describe('reconcileSlices', () => {
  it('creates slices of at most 100 endpoints, labelled and owned by the Service', () => {
    const { plan } = settle(pods(250));
    expect(writes(plan)).toEqual([3, 0, 0]);
    expect(sizes(plan.toCreate)).toEqual([100, 100, 50]);
    const slice = plan.toCreate[0];
    expect(slice?.metadata).toEqual({
      generateName: 'web-',
      namespace: 'ns',
      labels: {
        team: 'a',
        'kubernetes.io/service-name': 'web',
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: 'web',
          uid: 'svc-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      annotations: {},
    });
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice?.endpoints?.[0]).toEqual({
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'p0', uid: 'uid-0' },
      nodeName: 'n1',
    });
  });

  it('writes nothing when the slices already say it all', () => {
    const { slices } = settle(pods(150));
    expect(writes(settle(pods(150), slices).plan)).toEqual([0, 0, 0]);
  });

  it('updates only the slice holding a pod whose readiness changed', () => {
    const { slices } = settle(pods(150));
    const next = pods(150);
    next[120] = pod(120, { ready: false });
    const { plan } = settle(next, slices);
    expect(writes(plan)).toEqual([0, 1, 0]);
    const changed = plan.toUpdate[0]?.endpoints?.find((e) => e.targetRef?.name === 'p120');
    expect(changed?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('lists terminating pods as not ready but serving', () => {
    const { plan } = settle([pod(0, { deleting: true })]);
    expect(plan.toCreate[0]?.endpoints?.[0]?.conditions).toEqual({
      ready: false,
      serving: true,
      terminating: true,
    });
  });

  it('puts new endpoints in the unchanged slice closest to full', () => {
    const { slices } = settle(pods(150)); // 100 + 50
    const { plan } = settle(pods(160), slices);
    expect(writes(plan)).toEqual([0, 1, 0]);
    expect(sizes(plan.toUpdate)).toEqual([60]);
  });

  it('keeps one empty placeholder slice when no pod is selected', () => {
    const { plan, slices } = settle([]);
    expect(writes(plan)).toEqual([1, 0, 0]);
    expect(plan.toCreate[0]).toMatchObject({ endpoints: [], ports: [] });
    expect(writes(settle([], slices).plan)).toEqual([0, 0, 0]);
  });

  it('turns the last slice into the placeholder instead of deleting and creating', () => {
    const { slices } = settle(pods(3));
    const { plan } = settle([], slices);
    expect(writes(plan)).toEqual([0, 1, 0]);
    expect(plan.toUpdate[0]).toMatchObject({
      metadata: { name: slices[0]?.metadata.name },
      endpoints: [],
      ports: [],
    });
  });

  it('groups pods by their resolved ports (the kubeproc host-port map)', () => {
    const { plan } = settle([pod(0, { hostPort: 41001 }), pod(1, { hostPort: 41002 }), pod(2)]);
    const ports = plan.toCreate.map((s) => s.ports?.[0]?.port).sort();
    expect(ports).toEqual([41001, 41002, 8080]);
  });

  it('replaces slices owned by an earlier Service of the same name', () => {
    const { slices } = settle(pods(2));
    const reborn: Service = { ...svc, metadata: { ...svc.metadata, uid: 'new-uid' } };
    const { plan } = settle(pods(2), slices, reborn);
    expect(writes(plan)).toEqual([1, 0, 1]);
    expect(plan.toCreate[0]?.metadata.ownerReferences?.[0]?.uid).toBe('new-uid');
  });

  it('creates nothing for a Service being deleted', () => {
    const going: Service = { ...svc, metadata: { ...svc.metadata, deletionTimestamp: 'x' } };
    expect(writes(settle(pods(2), [], going).plan)).toEqual([0, 0, 0]);
  });

  it('sets the trigger-time annotation on what it writes', () => {
    const plan = reconcileSlices({
      service: svc,
      pods: pods(1),
      existing: [],
      triggerMs: Date.UTC(2024, 0, 1),
    });
    expect(plan.toCreate[0]?.metadata.annotations).toEqual({
      'endpoints.kubernetes.io/last-change-trigger-time': '2024-01-01T00:00:00Z',
    });
  });
});
