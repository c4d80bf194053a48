// The garbage collector against the real API over a memory store: background, foreground and
// orphan cascades, several owners, dangling and invalid references.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { Client, ResourceRef } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import {
  CONFIGMAPS,
  DEPLOYMENTS,
  EVENTS,
  INGRESSCLASSES,
  NAMESPACES,
  PODS,
  REPLICASETS,
} from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import { GarbageCollector } from './garbage-collector.js';

const NS = 'default';
const WAIT = { timeout: 5000, interval: 10 };
const labels = { app: 'web' };
const podSpec = { containers: [{ name: 'app', image: 'busybox' }] };

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

/** A fresh API with a collector running on it; stopped after each test. */
function startGc(client: Client = createInMemoryApi().client): Client {
  const stop = new AbortController();
  const gc = new GarbageCollector({
    client,
    informers: new SharedInformerFactory(client),
    log: pino({ level: 'silent' }),
    workers: 2,
  });
  const done = gc.start(stop.signal);
  running.push(async () => {
    stop.abort();
    await done;
  });
  return client;
}

function ownerRef(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    ...extra,
  };
}

const controllerRef = (owner: KubeObject): OwnerReference =>
  ownerRef(owner, { controller: true, blockOwnerDeletion: true });

async function find(
  client: Client,
  ref: ResourceRef,
  ns: string,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await client.get(ref, ns, name);
  } catch (e) {
    if (isNotFound(e)) {
      return undefined;
    }
    throw e;
  }
}

async function waitGone(client: Client, ref: ResourceRef, ns: string, name: string) {
  await vi.waitFor(async () => {
    expect(await find(client, ref, ns, name), `${ref.resource} ${name} deleted`).toBeUndefined();
  }, WAIT);
}

const configMap = (name: string, owners: OwnerReference[] = [], ns = NS): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, ...(owners.length ? { ownerReferences: owners } : {}) },
});

/** A deployment, a ReplicaSet it controls and pods the ReplicaSet controls. */
async function deploymentTree(client: Client, pods: { name: string; finalizers?: string[] }[]) {
  const template = { metadata: { labels }, spec: podSpec };
  const spec = { replicas: pods.length, selector: { matchLabels: labels }, template };
  const deployment = await client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec,
  });
  const rs = await client.create(REPLICASETS, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: NS, ownerReferences: [controllerRef(deployment)] },
    spec,
  });
  for (const pod of pods) {
    await client.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: NS,
        labels,
        ownerReferences: [controllerRef(rs)],
        ...(pod.finalizers ? { finalizers: pod.finalizers } : {}),
      },
      spec: podSpec,
    });
  }
  return { deployment, rs };
}

/** A dangling object created now is collected once everything queued before it was handled. */
async function drain(client: Client, ns = NS): Promise<void> {
  const name = `sentinel-${randomUUID().slice(0, 8)}`;
  const ghost = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: randomUUID() };
  await client.create(CONFIGMAPS, configMap(name, [ghost], ns));
  await waitGone(client, CONFIGMAPS, ns, name);
}

describe('GarbageCollector', () => {
  it('delete deployment (background) removes its ReplicaSets and their pods', async () => {
    const client = startGc();
    await deploymentTree(client, [{ name: 'web-1-a' }, { name: 'web-1-b' }]);
    await client.create(PODS, {
      metadata: { name: 'bystander', namespace: NS, labels },
      spec: podSpec,
    });
    await client.delete(DEPLOYMENTS, NS, 'web');
    await waitGone(client, REPLICASETS, NS, 'web-1');
    await waitGone(client, PODS, NS, 'web-1-a');
    await waitGone(client, PODS, NS, 'web-1-b');
    expect(await find(client, PODS, NS, 'bystander')).toBeDefined();
  });

  it('foreground keeps the owner Terminating until its blocking dependents are gone', async () => {
    const client = startGc();
    await deploymentTree(client, [{ name: 'web-1-a', finalizers: ['example.com/hold'] }]);
    await client.delete(DEPLOYMENTS, NS, 'web', { propagationPolicy: 'Foreground' });

    await vi.waitFor(async () => {
      const pod = await find(client, PODS, NS, 'web-1-a');
      expect(pod?.metadata.deletionTimestamp, 'pod deletion requested').toBeDefined();
    }, WAIT);
    const deployment = await find(client, DEPLOYMENTS, NS, 'web');
    expect(deployment?.metadata.deletionTimestamp).toBeDefined();
    expect(deployment?.metadata.finalizers).toEqual(['foregroundDeletion']);
    const rs = await find(client, REPLICASETS, NS, 'web-1');
    expect(rs?.metadata.finalizers, 'ReplicaSet deleted in foreground too').toEqual([
      'foregroundDeletion',
    ]);

    await client.patch(PODS, NS, 'web-1-a', 'merge', { metadata: { finalizers: null } });
    await waitGone(client, PODS, NS, 'web-1-a');
    await waitGone(client, REPLICASETS, NS, 'web-1');
    await waitGone(client, DEPLOYMENTS, NS, 'web');
  });

  it('foreground does not wait for a dependent with blockOwnerDeletion=false', async () => {
    const client = startGc();
    const owner = await client.create(CONFIGMAPS, configMap('owner'));
    const ref = ownerRef(owner, { blockOwnerDeletion: false });
    await client.create(CONFIGMAPS, {
      ...configMap('dependent', [ref]),
      metadata: { ...configMap('dependent', [ref]).metadata, finalizers: ['example.com/hold'] },
    });
    await client.delete(CONFIGMAPS, NS, 'owner', { propagationPolicy: 'Foreground' });
    await waitGone(client, CONFIGMAPS, NS, 'owner');
    await vi.waitFor(async () => {
      const dep = await find(client, CONFIGMAPS, NS, 'dependent');
      expect(dep?.metadata.deletionTimestamp, 'dependent deleted too').toBeDefined();
    }, WAIT);
  });

  it('orphan leaves dependents without the ownerReference', async () => {
    const client = startGc();
    const { rs } = await deploymentTree(client, [{ name: 'web-1-a' }]);
    await client.delete(DEPLOYMENTS, NS, 'web', { propagationPolicy: 'Orphan' });
    await waitGone(client, DEPLOYMENTS, NS, 'web');
    const orphan = await find(client, REPLICASETS, NS, 'web-1');
    expect(orphan?.metadata.uid).toBe(rs.metadata.uid);
    expect(orphan?.metadata.ownerReferences).toBeUndefined();
    await drain(client);
    expect(await find(client, REPLICASETS, NS, 'web-1')).toBeDefined();
    expect((await find(client, PODS, NS, 'web-1-a'))?.metadata.ownerReferences).toEqual([
      controllerRef(rs),
    ]);
  });

  it('a dependent with two owners survives the deletion of one, then goes with the other', async () => {
    const client = startGc();
    const a = await client.create(CONFIGMAPS, configMap('a'));
    const b = await client.create(CONFIGMAPS, configMap('b'));
    await client.create(CONFIGMAPS, configMap('shared', [ownerRef(a), ownerRef(b)]));
    await client.delete(CONFIGMAPS, NS, 'a');
    await vi.waitFor(async () => {
      const shared = await find(client, CONFIGMAPS, NS, 'shared');
      expect(shared?.metadata.ownerReferences, 'only b left').toEqual([ownerRef(b)]);
    }, WAIT);
    await client.delete(CONFIGMAPS, NS, 'b');
    await waitGone(client, CONFIGMAPS, NS, 'shared');
  });

  it.each([
    ['a namespaced kind', { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost' }],
    [
      'a cluster-scoped kind',
      { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: 'x' },
    ],
    ['an existing name with another uid', { apiVersion: 'v1', kind: 'ConfigMap', name: 'real' }],
  ])('a dangling ownerReference to %s gets its object deleted', async (_, coordinates) => {
    const client = startGc();
    await client.create(CONFIGMAPS, configMap('real'));
    await client.create(CONFIGMAPS, configMap('dangling', [{ ...coordinates, uid: randomUUID() }]));
    await waitGone(client, CONFIGMAPS, NS, 'dangling');
    expect(await find(client, CONFIGMAPS, NS, 'real')).toBeDefined();
  });

  it('collects objects left dangling while it was not running', async () => {
    const { client } = createInMemoryApi();
    const owner = await client.create(CONFIGMAPS, configMap('owner'));
    await client.create(CONFIGMAPS, configMap('left', [ownerRef(owner)]));
    await client.create(CONFIGMAPS, configMap('left-too', [ownerRef(owner)]));
    await client.delete(CONFIGMAPS, NS, 'owner');
    await client.create(CONFIGMAPS, configMap('owner'));
    startGc(client);
    await waitGone(client, CONFIGMAPS, NS, 'left');
    await waitGone(client, CONFIGMAPS, NS, 'left-too');
    expect(await find(client, CONFIGMAPS, NS, 'owner'), 'same name, new uid').toBeDefined();
  });

  it('a namespaced dependent lives and dies with its cluster-scoped owner', async () => {
    const client = startGc();
    const cls = await client.create(INGRESSCLASSES, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'owner' },
      spec: { controller: 'example.com/ingress' },
    });
    await client.create(CONFIGMAPS, configMap('dependent', [ownerRef(cls)]));
    await drain(client);
    expect(await find(client, CONFIGMAPS, NS, 'dependent')).toBeDefined();
    await client.delete(INGRESSCLASSES, '', 'owner');
    await waitGone(client, CONFIGMAPS, NS, 'dependent');
  });

  it('an ownerReference to a same-named object in another namespace is not an owner', async () => {
    const client = startGc();
    await client.create(NAMESPACES, { metadata: { name: 'other' } });
    const there = await client.create(CONFIGMAPS, configMap('owner', [], 'other'));
    const here = await client.create(CONFIGMAPS, configMap('owner'));
    await client.create(CONFIGMAPS, configMap('valid', [ownerRef(here)]));
    await client.create(CONFIGMAPS, configMap('invalid', [ownerRef(there)]));
    await waitGone(client, CONFIGMAPS, NS, 'invalid');
    // Deleting the other namespace's object must not touch dependents of the local one.
    await client.delete(CONFIGMAPS, 'other', 'owner');
    await drain(client);
    expect(await find(client, CONFIGMAPS, NS, 'valid')).toBeDefined();
    expect(await find(client, CONFIGMAPS, NS, 'owner')).toBeDefined();
    await vi.waitFor(async () => {
      const events = await client.list(EVENTS, { namespace: NS });
      const invalid = events.items.filter((e) => e.reason === 'OwnerRefInvalidNamespace');
      expect(invalid.map((e) => e.message)).toContain(
        `ownerRef [v1/ConfigMap, namespace: default, name: owner, uid: ${there.metadata.uid}] ` +
          'does not exist in namespace "default"',
      );
    }, WAIT);
  });

  it('never collects a cluster-scoped object that names a namespaced owner', async () => {
    const client = startGc();
    const cm = await client.create(CONFIGMAPS, configMap('cm'));
    await client.create(INGRESSCLASSES, {
      metadata: { name: 'invalid', ownerReferences: [ownerRef(cm)] },
      spec: { controller: 'example.com/ingress' },
    });
    await client.delete(CONFIGMAPS, NS, 'cm');
    await drain(client);
    expect(await find(client, INGRESSCLASSES, '', 'invalid')).toBeDefined();
  });
});
