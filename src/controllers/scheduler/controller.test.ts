// The scheduler against the real API over a memory store: binding, the upstream failure
// messages, cordons, and retries when the cluster changes.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { InMemoryApi } from '../../api/in-memory.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { EVENTS, NODES, PODS } from '../../client/resources.js';
import { conflict } from '../../lib/errors.js';
import { Scheduler } from './controller.js';

const NS = 'default';
const WAIT = { timeout: 10_000, interval: 20 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

/**
 * Test-only stand-in for POST pods/<name>/binding until the Client can create subresources: the
 * same storage write the binding handler makes. It checks "already assigned" only, not the
 * handler's other binding rules. (A merge patch of spec.nodeName is refused by pod validation.)
 */
function testBinder(api: InMemoryApi) {
  return (pod: KubeObject, nodeName: string): Promise<void> => {
    const found = api.registry.lookup('', 'v1', 'pods');
    if (!found) {
      return Promise.reject(new Error('pods are not served'));
    }
    const scope = { ...found, namespace: pod.metadata.namespace ?? '' };
    const name = pod.metadata.name ?? '';
    const stored = api.svc.getStored(scope, name);
    const bound = (stored.spec as { nodeName?: string }).nodeName;
    if (bound) {
      const why = `pod ${name} is already assigned to node "${bound}"`;
      return Promise.reject(conflict({ group: '', resource: 'pods' }, name, why));
    }
    const next = structuredClone(stored);
    next.spec = { ...(next.spec as object), nodeName };
    api.svc.replaceStored(scope, stored, next, { subresource: 'binding' });
    return Promise.resolve();
  };
}

function start(): Client {
  const api = createInMemoryApi();
  const informers = new SharedInformerFactory(api.client);
  const scheduler = new Scheduler({
    client: api.client,
    informers,
    log: pino({ level: 'silent' }),
    bind: testBinder(api),
  });
  const abort = new AbortController();
  const running = Promise.all([informers.start(abort.signal), scheduler.start(abort.signal)]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return api.client;
}

async function addNode(
  client: Client,
  name: string,
  opts: {
    cpu?: string;
    memory?: string;
    unschedulable?: boolean;
    labels?: Record<string, string>;
  } = {},
): Promise<void> {
  const resources = { cpu: opts.cpu ?? '2', memory: opts.memory ?? '4Gi', pods: '110' };
  await client.create(NODES, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: opts.unschedulable ? { unschedulable: true } : {},
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    },
  });
}

async function addPod(
  client: Client,
  name: string,
  cpu: string,
  spec: Record<string, unknown> = {},
): Promise<void> {
  await client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      containers: [{ name: 'c', image: 'img', resources: { requests: { cpu, memory: '64Mi' } } }],
      ...spec,
    },
  });
}

async function getPod(client: Client, name: string): Promise<KubeObject> {
  return client.get(PODS, NS, name);
}

const nodeOf = async (client: Client, name: string): Promise<string | undefined> =>
  ((await getPod(client, name)).spec as { nodeName?: string }).nodeName;

async function scheduledCondition(client: Client, name: string): Promise<Record<string, unknown>> {
  const status = (await getPod(client, name)).status as { conditions?: { type: string }[] };
  return status.conditions?.find((c) => c.type === 'PodScheduled') ?? {};
}

async function podEvents(client: Client, name: string): Promise<KubeObject[]> {
  const list = await client.list(EVENTS, {
    namespace: NS,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items;
}

async function finish(client: Client, name: string): Promise<void> {
  const pod = await getPod(client, name);
  await client.updateStatus(PODS, {
    ...pod,
    status: { ...(pod.status as object), phase: 'Succeeded' },
  });
}

const INSUFFICIENT_CPU =
  '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..';
const CORDONED =
  '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..';
const SELECTOR =
  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..";

describe('Scheduler', () => {
  it('binds a pod that fits and reports it like upstream', async () => {
    const client = start();
    await addNode(client, 'node1');
    await addPod(client, 'p', '500m');
    await expect.poll(() => nodeOf(client, 'p'), WAIT).toBe('node1');
    await expect
      .poll(() => scheduledCondition(client, 'p'), WAIT)
      .toMatchObject({ status: 'True', lastTransitionTime: expect.any(String) });
    await expect
      .poll(async () => (await podEvents(client, 'p')).find((e) => e.reason === 'Scheduled'), WAIT)
      .toMatchObject({
        type: 'Normal',
        message: 'Successfully assigned default/p to node1',
        source: { component: 'default-scheduler' },
      });
  });

  it('prefers the least allocated node', async () => {
    const client = start();
    await addNode(client, 'node-a');
    await addPod(client, 'big', '1500m', { nodeSelector: { 'kubernetes.io/hostname': 'node-a' } });
    await expect.poll(() => nodeOf(client, 'big'), WAIT).toBe('node-a');
    await addNode(client, 'node-b');
    await addPod(client, 'small', '100m');
    await expect.poll(() => nodeOf(client, 'small'), WAIT).toBe('node-b');
  });

  it('never overcommits when many pods arrive at once', async () => {
    const client = start();
    await addNode(client, 'node1');
    await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => addPod(client, n, '600m')));
    await expect
      .poll(async () => {
        const nodes = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => nodeOf(client, n)));
        return nodes.filter(Boolean).length;
      }, WAIT)
      .toBe(3);
    const pending = ['p1', 'p2', 'p3', 'p4'];
    await expect
      .poll(async () => {
        const conds = await Promise.all(pending.map((n) => scheduledCondition(client, n)));
        return conds.filter((c) => c.reason === 'Unschedulable').map((c) => c.message);
      }, WAIT)
      .toEqual([INSUFFICIENT_CPU]);
  });

  it('keeps a pod that does not fit Pending with the upstream message and event', async () => {
    const client = start();
    await addNode(client, 'node1');
    await addPod(client, 'huge', '3');
    await expect
      .poll(() => scheduledCondition(client, 'huge'), WAIT)
      .toMatchObject({ status: 'False', reason: 'Unschedulable', message: INSUFFICIENT_CPU });
    await expect
      .poll(
        async () => (await podEvents(client, 'huge')).find((e) => e.reason === 'FailedScheduling'),
        WAIT,
      )
      .toMatchObject({
        type: 'Warning',
        message: INSUFFICIENT_CPU,
        source: { component: 'default-scheduler' },
      });
    expect(await nodeOf(client, 'huge')).toBeUndefined();
    expect(((await getPod(client, 'huge')).status as { phase?: string }).phase).toBe('Pending');
  });

  it('sends no new pods to a cordoned node, and places them once it is uncordoned', async () => {
    const client = start();
    await addNode(client, 'node1', { unschedulable: true });
    await addPod(client, 'p', '100m');
    await expect
      .poll(() => scheduledCondition(client, 'p'), WAIT)
      .toMatchObject({ status: 'False', reason: 'Unschedulable', message: CORDONED });
    expect(await nodeOf(client, 'p')).toBeUndefined();
    await client.patch(NODES, '', 'node1', 'strategic', { spec: { unschedulable: null } });
    await expect.poll(() => nodeOf(client, 'p'), WAIT).toBe('node1');
    await expect
      .poll(() => scheduledCondition(client, 'p'), WAIT)
      .toMatchObject({ status: 'True' });
  });

  it('lets a pod tolerating the unschedulable taint onto a cordoned node', async () => {
    const client = start();
    await addNode(client, 'node1', { unschedulable: true });
    await addPod(client, 'ds', '100m', {
      tolerations: [
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
    await expect.poll(() => nodeOf(client, 'ds'), WAIT).toBe('node1');
  });

  it('waits for a node matching the nodeSelector', async () => {
    const client = start();
    await addNode(client, 'node1');
    await addPod(client, 'p', '100m', { nodeSelector: { disk: 'ssd' } });
    await expect
      .poll(() => scheduledCondition(client, 'p'), WAIT)
      .toMatchObject({ message: SELECTOR });
    await client.patch(NODES, '', 'node1', 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await expect.poll(() => nodeOf(client, 'p'), WAIT).toBe('node1');
  });

  it('schedules a waiting pod once another pod on the node has Succeeded', async () => {
    const client = start();
    await addNode(client, 'node1', { cpu: '1' });
    await addPod(client, 'first', '800m');
    await expect.poll(() => nodeOf(client, 'first'), WAIT).toBe('node1');
    await addPod(client, 'second', '500m');
    await expect
      .poll(() => scheduledCondition(client, 'second'), WAIT)
      .toMatchObject({ reason: 'Unschedulable', message: INSUFFICIENT_CPU });
    await finish(client, 'first');
    await expect.poll(() => nodeOf(client, 'second'), WAIT).toBe('node1');
  });

  it('leaves pods for other schedulers alone', async () => {
    const client = start();
    await addNode(client, 'node1');
    // Created first, so a scheduler that took it would have done so before binding the other.
    await addPod(client, 'theirs', '100m', { schedulerName: 'other-scheduler' });
    await addPod(client, 'mine', '100m');
    await expect.poll(() => nodeOf(client, 'mine'), WAIT).toBe('node1');
    expect(await nodeOf(client, 'theirs')).toBeUndefined();
    expect(await scheduledCondition(client, 'theirs')).toEqual({});
  });
});
