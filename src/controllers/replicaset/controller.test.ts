// The ReplicaSet controller against the real API over a memory store; the test plays the kubelet
// by writing pod status through the client.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import { formatTime } from '../../apis/meta.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { EVENTS, PODS, REPLICASETS } from '../../client/resources.js';
import { ReplicaSetController } from './controller.js';

const NS = 'default';
const WAIT = { timeout: 10_000, interval: 20 };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

function start(): Client {
  const { client } = createInMemoryApi();
  const informers = new SharedInformerFactory(client);
  const controller = new ReplicaSetController({
    client,
    informers,
    log: pino({ level: 'silent' }),
    workers: 2,
  });
  const abort = new AbortController();
  const running = Promise.all([informers.start(abort.signal), controller.start(abort.signal)]);
  stops.push(async () => {
    abort.abort();
    await running;
  });
  return client;
}

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'web' } },
        spec: { containers: [{ name: 'c', image: 'img' }] },
      },
      ...extra,
    },
  };
}

async function pods(client: Client, app: string): Promise<KubeObject[]> {
  return (await client.list(PODS, { namespace: NS, labelSelector: `app=${app}` })).items;
}

const names = (list: KubeObject[]): string[] => list.map((p) => p.metadata.name ?? '').sort();
const active = (list: KubeObject[]): KubeObject[] =>
  list.filter(
    (p) => !p.metadata.deletionTimestamp && (p.status as { phase?: string }).phase !== 'Failed',
  );

async function podCount(client: Client, app: string): Promise<number> {
  return active(await pods(client, app)).length;
}

async function rsStatus(client: Client, name: string): Promise<Record<string, unknown>> {
  return ((await client.get(REPLICASETS, NS, name)).status ?? {}) as Record<string, unknown>;
}

async function scale(client: Client, name: string, replicas: number): Promise<void> {
  await client.patch(REPLICASETS, NS, name, 'merge', { spec: { replicas } });
}

/** What a node agent does: the pod runs and turns Ready at readySince. */
async function markReady(client: Client, pod: KubeObject, readySince = new Date()): Promise<void> {
  const fresh = await client.get(PODS, NS, pod.metadata.name ?? '');
  await client.updateStatus(PODS, {
    ...fresh,
    status: {
      ...(fresh.status as object),
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(readySince) }],
    },
  });
}

async function events(client: Client, name: string): Promise<KubeObject[]> {
  const sel = `involvedObject.name=${name},involvedObject.kind=ReplicaSet`;
  return (await client.list(EVENTS, { namespace: NS, fieldSelector: sel })).items;
}

describe('ReplicaSetController', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet', async () => {
    const client = start();
    const rs = await client.create(REPLICASETS, replicaSet('web', 3));
    await expect
      .poll(() => rsStatus(client, 'web'), { ...WAIT, message: 'status of 3 replicas' })
      .toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const created = await pods(client, 'web');
    expect(created).toHaveLength(3);
    for (const p of created) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
  });

  it('does not create again before its informer has seen the pods it created', async () => {
    const { client } = createInMemoryApi();
    const informers = new SharedInformerFactory(client);
    const log = pino({ level: 'silent' });
    const controller = new ReplicaSetController({ client, informers, log });
    await client.create(REPLICASETS, replicaSet('lag', 3));
    const abort = new AbortController();
    const running = informers.start(abort.signal);
    await informers.waitForSync();
    // Stopped informers keep their cache as it was: the created pods are never seen.
    abort.abort();
    await running;
    await controller.sync(`${NS}/lag`);
    await controller.sync(`${NS}/lag`);
    expect(await pods(client, 'lag')).toHaveLength(3);
  });

  it('scales up, then down deleting the least established pods first', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('api', 2));
    await expect.poll(() => podCount(client, 'api'), { ...WAIT, message: '2 pods' }).toBe(2);
    await scale(client, 'api', 4);
    await expect.poll(() => podCount(client, 'api'), { ...WAIT, message: '4 pods' }).toBe(4);
    const [old, recent, ...pending] = await pods(client, 'api');
    await markReady(client, old!, new Date(Date.now() - 3600_000));
    await markReady(client, recent!);
    await scale(client, 'api', 2);
    await expect
      .poll(async () => names(active(await pods(client, 'api'))), {
        ...WAIT,
        message: 'pending deleted',
      })
      .toEqual(names([old!, recent!]));
    expect(pending).toHaveLength(2);
    await scale(client, 'api', 1);
    await expect
      .poll(async () => names(active(await pods(client, 'api'))), {
        ...WAIT,
        message: 'newest ready deleted',
      })
      .toEqual(names([old!]));
  });

  it('replaces a deleted pod', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('db', 2));
    await expect.poll(() => podCount(client, 'db'), WAIT).toBe(2);
    const [victim] = await pods(client, 'db');
    await client.delete(PODS, NS, victim!.metadata.name ?? '');
    await expect
      .poll(async () => names(await pods(client, 'db')), { ...WAIT, message: 'a replacement' })
      .not.toContain(victim!.metadata.name);
    await expect.poll(() => podCount(client, 'db'), WAIT).toBe(2);
  });

  it('replaces a Failed pod and leaves it in place', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('job', 2));
    await expect.poll(() => podCount(client, 'job'), WAIT).toBe(2);
    const [failed] = await pods(client, 'job');
    await client.updateStatus(PODS, { ...failed!, status: { phase: 'Failed' } });
    await expect
      .poll(async () => (await pods(client, 'job')).length, { ...WAIT, message: 'a 3rd pod' })
      .toBe(3);
    expect(await podCount(client, 'job')).toBe(2);
    await expect.poll(() => rsStatus(client, 'job'), WAIT).toMatchObject({ replicas: 2 });
    expect(names(await pods(client, 'job'))).toContain(failed!.metadata.name);
  });

  it('adopts a matching orphan instead of creating a pod', async () => {
    const client = start();
    const orphan = await client.create(PODS, {
      metadata: { name: 'orphan', namespace: NS, labels: { app: 'cache' } },
      spec: { containers: [{ name: 'c', image: 'img' }] },
    });
    const foreignRef = { apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'x', controller: true };
    await client.create(PODS, {
      metadata: { name: 'foreign', namespace: NS, labels: { app: 'cache' } },
      spec: { containers: [{ name: 'c', image: 'img' }] },
    });
    await client.patch(PODS, NS, 'foreign', 'merge', {
      metadata: { ownerReferences: [foreignRef] },
    });
    const rs = await client.create(REPLICASETS, replicaSet('cache', 2));
    await expect
      .poll(async () => (await client.get(PODS, NS, 'orphan')).metadata.ownerReferences, {
        ...WAIT,
        message: 'the orphan adopted',
      })
      .toEqual([expect.objectContaining({ uid: rs.metadata.uid, controller: true })]);
    await expect
      .poll(() => rsStatus(client, 'cache'), WAIT)
      .toMatchObject({ replicas: 2, fullyLabeledReplicas: 1 });
    expect(names(await pods(client, 'cache'))).toContain(orphan.metadata.name);
    // One created, one adopted; a pod controlled by someone else is left alone.
    expect(await pods(client, 'cache')).toHaveLength(3);
    expect((await client.get(PODS, NS, 'foreign')).metadata.ownerReferences).toEqual([foreignRef]);
  });

  it('releases a pod whose labels no longer match, and replaces it', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('queue', 2));
    await expect.poll(() => podCount(client, 'queue'), WAIT).toBe(2);
    const [moved] = await pods(client, 'queue');
    const name = moved!.metadata.name ?? '';
    await client.patch(PODS, NS, name, 'merge', { metadata: { labels: { app: 'other' } } });
    await expect
      .poll(async () => (await client.get(PODS, NS, name)).metadata.ownerReferences ?? [], {
        ...WAIT,
        message: 'the pod released',
      })
      .toEqual([]);
    await expect.poll(() => podCount(client, 'queue'), { ...WAIT, message: 'replacement' }).toBe(2);
    expect(names(await pods(client, 'queue'))).not.toContain(name);
  });

  it('counts ready and available pods as the kubelet reports them', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('front', 2, { minReadySeconds: 1 }));
    await expect.poll(() => podCount(client, 'front'), WAIT).toBe(2);
    const [first, second] = await pods(client, 'front');
    await markReady(client, first!, new Date(Date.now() - 60_000));
    await expect
      .poll(() => rsStatus(client, 'front'), { ...WAIT, message: '1 ready, 1 available' })
      .toMatchObject({ replicas: 2, readyReplicas: 1, availableReplicas: 1 });
    await markReady(client, second!);
    await expect
      .poll(() => rsStatus(client, 'front'), { ...WAIT, message: '2 ready' })
      .toMatchObject({ readyReplicas: 2 });
    // Available only once minReadySeconds has passed: the controller requeues itself for it.
    await expect
      .poll(() => rsStatus(client, 'front'), { ...WAIT, message: '2 available' })
      .toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
  });

  it('records SuccessfulCreate and SuccessfulDelete events', async () => {
    const client = start();
    await client.create(REPLICASETS, replicaSet('ev', 2));
    await expect.poll(() => podCount(client, 'ev'), WAIT).toBe(2);
    const created = names(await pods(client, 'ev'));
    await expect
      .poll(async () => (await events(client, 'ev')).map((e) => e.message).sort(), WAIT)
      .toEqual(created.map((n) => `Created pod: ${n}`));
    expect((await events(client, 'ev'))[0]).toMatchObject({
      type: 'Normal',
      reason: 'SuccessfulCreate',
      source: { component: 'replicaset-controller' },
    });
    await scale(client, 'ev', 1);
    await expect.poll(async () => (await pods(client, 'ev')).length, WAIT).toBe(1);
    const remaining = names(await pods(client, 'ev'));
    const deleted = created.filter((n) => !remaining.includes(n));
    expect(deleted).toHaveLength(1);
    await expect
      .poll(async () => {
        const list = await events(client, 'ev');
        return list.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
      }, WAIT)
      .toEqual([`Deleted pod: ${deleted[0]}`]);
  });

  it('records FailedCreate and sets ReplicaFailure when pods cannot be created', async () => {
    const client = start();
    // Valid in a template, rejected on a pod: finalizers are not checked in templates.
    const bad = replicaSet('broken', 2);
    Object.assign(bad.spec.template.metadata, { finalizers: ['bad'] });
    await client.create(REPLICASETS, bad);
    await expect
      .poll(async () => (await rsStatus(client, 'broken')).conditions, WAIT)
      .toEqual([
        expect.objectContaining({
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: expect.stringMatching(
            /^Pod "broken-[a-z0-9]{5}" is invalid: metadata\.finalizers/,
          ),
        }),
      ]);
    const failed = (await events(client, 'broken')).find((e) => e.reason === 'FailedCreate');
    expect(failed).toMatchObject({ type: 'Warning' });
    expect(failed?.message).toMatch(/^Error creating: Pod "broken-[a-z0-9]{5}" is invalid: /);
    expect(await pods(client, 'broken')).toHaveLength(0);
  });
});
