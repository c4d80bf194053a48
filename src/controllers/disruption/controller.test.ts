// The disruption controller against the real API over a memory store: the test plays the
// kubelet (pod readiness) and the workload controllers (ReplicaSets, Deployments) itself.
import { setMaxListeners } from 'node:events';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { DEPLOYMENTS, EVENTS, PDBS, PODS, REPLICASETS } from '../../client/resources.js';
import { DisruptionController } from './controller.js';
import type { PodDisruptionBudgetStatus } from './types.js';

const NS = 'default';
const WAIT = { timeout: 10_000, interval: 20 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function start(): Client {
  const { client } = createInMemoryApi();
  const informers = new SharedInformerFactory(client);
  const controller = new DisruptionController({
    client,
    informers,
    log: pino({ level: 'silent' }),
  });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const running = Promise.all([informers.start(abort.signal), controller.start(abort.signal)]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return client;
}

const ownerRef = (obj: KubeObject, kind: string): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind,
  name: obj.metadata.name ?? '',
  uid: obj.metadata.uid ?? '',
  controller: true,
});

async function addPod(
  client: Client,
  name: string,
  opts: { ready?: boolean; owner?: OwnerReference; app?: string } = {},
): Promise<KubeObject> {
  const pod = await client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: { app: opts.app ?? 'web' },
      ...(opts.owner ? { ownerReferences: [opts.owner] } : {}),
    },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'img' }] },
  });
  return setReady(client, pod, opts.ready ?? true);
}

async function setReady(client: Client, pod: KubeObject, ready: boolean): Promise<KubeObject> {
  const fresh = await client.get(PODS, NS, pod.metadata.name ?? '');
  const status = ready ? 'True' : 'False';
  return client.updateStatus(PODS, {
    ...fresh,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status, lastTransitionTime: formatTime(new Date()) }],
    },
  });
}

async function addPdb(client: Client, name: string, spec: Record<string, unknown>) {
  return client.create(PDBS, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NS },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  });
}

async function pdbStatus(client: Client, name: string): Promise<PodDisruptionBudgetStatus> {
  return (await client.get(PDBS, NS, name)).status as PodDisruptionBudgetStatus;
}

/** The counters and the DisruptionAllowed condition's status and reason. */
async function summary(client: Client, name: string) {
  const s = await pdbStatus(client, name);
  const cond = s?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  return {
    currentHealthy: s?.currentHealthy,
    desiredHealthy: s?.desiredHealthy,
    expectedPods: s?.expectedPods,
    disruptionsAllowed: s?.disruptionsAllowed,
    observedGeneration: s?.observedGeneration,
    condition: cond && `${cond.status}/${cond.reason}`,
  };
}

async function eventReasons(client: Client, name: string): Promise<string[]> {
  const events = (await client.list(EVENTS, { namespace: NS })).items;
  return events
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => `${String(e.reason)}: ${String(e.message)}`);
}

async function workload(client: Client, replicas: number, viaDeployment: boolean) {
  let rsOwner: OwnerReference | undefined;
  if (viaDeployment) {
    const deployment = await client.create(DEPLOYMENTS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'img' }] },
        },
      },
    });
    rsOwner = ownerRef(deployment, 'Deployment');
  }
  return client.create(REPLICASETS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: NS, ...(rsOwner ? { ownerReferences: [rsOwner] } : {}) },
    spec: {
      // A Deployment's ReplicaSet mid-rollout: its own replicas must not count.
      replicas: viaDeployment ? 1 : replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'img' }] },
      },
    },
  });
}

describe('DisruptionController', () => {
  it('counts selected pods against an integer minAvailable and follows readiness', async () => {
    const client = start();
    const pods = await Promise.all(['a', 'b', 'c'].map((n) => addPod(client, n)));
    await addPod(client, 'other', { app: 'db' });
    await addPdb(client, 'web', { minAvailable: 2 });
    await expect
      .poll(() => summary(client, 'web'), WAIT)
      .toEqual({
        currentHealthy: 3,
        desiredHealthy: 2,
        expectedPods: 3,
        disruptionsAllowed: 1,
        observedGeneration: 1,
        condition: 'True/SufficientPods',
      });
    await setReady(client, pods[0]!, false);
    await expect
      .poll(() => summary(client, 'web'), WAIT)
      .toMatchObject({
        currentHealthy: 2,
        disruptionsAllowed: 0,
        condition: 'False/InsufficientPods',
      });
  });

  it.each([
    {
      from: 'a Deployment (through its ReplicaSet)',
      viaDeployment: true,
      spec: { maxUnavailable: '50%' },
      expected: 4,
      desired: 2,
    },
    {
      from: 'a bare ReplicaSet',
      viaDeployment: false,
      spec: { minAvailable: '50%' },
      expected: 3,
      desired: 2,
    },
    {
      from: 'a bare ReplicaSet with maxUnavailable',
      viaDeployment: false,
      spec: { maxUnavailable: 1 },
      expected: 3,
      desired: 2,
    },
  ])('takes the expected pods from $from', async ({ viaDeployment, spec, expected, desired }) => {
    const client = start();
    const rs = await workload(client, expected, viaDeployment);
    await addPod(client, 'a', { owner: ownerRef(rs, 'ReplicaSet') });
    await addPod(client, 'b', { owner: ownerRef(rs, 'ReplicaSet') });
    await addPdb(client, 'web', spec);
    await expect
      .poll(() => summary(client, 'web'), WAIT)
      .toMatchObject({ expectedPods: expected, desiredHealthy: desired, currentHealthy: 2 });
  });

  it('fails safe when a controller cannot be found, and says why', async () => {
    const client = start();
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'db',
      uid: 'u1',
      controller: true,
    };
    await addPod(client, 'a', { owner });
    await addPdb(client, 'web', { maxUnavailable: 1 });
    await expect
      .poll(async () => (await pdbStatus(client, 'web'))?.conditions?.[0], WAIT)
      .toMatchObject({
        type: 'DisruptionAllowed',
        status: 'False',
        reason: 'SyncFailed',
        message: 'no matches for kind "StatefulSet" in version "apps/v1"',
      });
    expect((await pdbStatus(client, 'web')).disruptionsAllowed).toBe(0);
    await expect
      .poll(() => eventReasons(client, 'web'), WAIT)
      .toContain(
        'CalculateExpectedPodCountFailed: Failed to calculate the number of expected pods: no matches for kind "StatefulSet" in version "apps/v1"',
      );
  });

  it('reports unmanaged pods under a percentage and counts them out', async () => {
    const client = start();
    await addPod(client, 'a');
    await addPdb(client, 'web', { minAvailable: '50%' });
    await expect
      .poll(() => summary(client, 'web'), WAIT)
      .toMatchObject({
        expectedPods: 0,
        desiredHealthy: 0,
        currentHealthy: 1,
        disruptionsAllowed: 0,
      });
    await expect
      .poll(async () => (await eventReasons(client, 'web')).join('\n'), WAIT)
      .toContain(
        'UnmanagedPods: Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged.',
      );
  });

  it('does not count pods an eviction let go, until the entry expires', async () => {
    const client = start();
    await Promise.all(['a', 'b', 'c'].map((n) => addPod(client, n)));
    const pdb = await addPdb(client, 'web', { minAvailable: 1 });
    await expect.poll(() => summary(client, 'web'), WAIT).toMatchObject({ disruptionsAllowed: 2 });
    const fresh = await client.get(PDBS, NS, 'web');
    const status = fresh.status as PodDisruptionBudgetStatus;
    const longAgo = formatTime(new Date(Date.now() - 3 * 60_000));
    await client.updateStatus(PDBS, {
      ...fresh,
      status: { ...status, disruptedPods: { a: formatTime(new Date()), b: longAgo } },
    });
    await expect
      .poll(() => pdbStatus(client, 'web'), WAIT)
      .toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    expect((await pdbStatus(client, 'web')).disruptedPods).toEqual({ a: expect.any(String) });
    await expect
      .poll(() => eventReasons(client, 'b'), WAIT)
      .toContain("NotDeleted: Pod was expected by PDB default/default to be deleted but it wasn't");
    expect(pdb.metadata.name).toBe('web');
  });

  it('drops a disruptedPods entry once its pod is being deleted', async () => {
    const client = start();
    await Promise.all(['a', 'b'].map((n) => addPod(client, n)));
    await addPdb(client, 'web', { minAvailable: 1 });
    await expect.poll(() => summary(client, 'web'), WAIT).toMatchObject({ disruptionsAllowed: 1 });
    const fresh = await client.get(PDBS, NS, 'web');
    await client.updateStatus(PDBS, {
      ...fresh,
      status: { ...(fresh.status as object), disruptedPods: { a: formatTime(new Date()) } },
    });
    await client.delete(PODS, NS, 'a', { gracePeriodSeconds: 30 });
    await expect
      .poll(() => pdbStatus(client, 'web'), WAIT)
      .toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });
    expect((await pdbStatus(client, 'web')).disruptedPods).toBeUndefined();
  });

  it('resets a stale DisruptionTarget condition of a pod that was never deleted', async () => {
    const client = start();
    const pod = await addPod(client, 'a');
    const old = formatTime(new Date(Date.now() - 3 * 60_000));
    const conditions = (pod.status as { conditions: object[] }).conditions;
    await client.updateStatus(PODS, {
      ...pod,
      status: {
        ...(pod.status as object),
        conditions: [
          ...conditions,
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'EvictionByEvictionAPI',
            lastTransitionTime: old,
          },
        ],
      },
    });
    await expect
      .poll(async () => {
        const got = await client.get(PODS, NS, 'a');
        return (got.status as { conditions: { type: string }[] }).conditions.find(
          (c) => c.type === 'DisruptionTarget',
        );
      }, WAIT)
      .toMatchObject({ type: 'DisruptionTarget', status: 'False', lastProbeTime: null });
  });

  it('recomputes on a spec change and records the new generation', async () => {
    const client = start();
    await Promise.all(['a', 'b'].map((n) => addPod(client, n)));
    await addPdb(client, 'web', { minAvailable: 2 });
    await expect.poll(() => summary(client, 'web'), WAIT).toMatchObject({ disruptionsAllowed: 0 });
    await client.patch(PDBS, NS, 'web', 'merge', { spec: { minAvailable: 0 } });
    await expect
      .poll(() => summary(client, 'web'), WAIT)
      .toMatchObject({
        disruptionsAllowed: 2,
        observedGeneration: 2,
        condition: 'True/SufficientPods',
      });
  });
});
