// The contract every Client implementation must pass (hono's one shared suite, run against each
// implementation): same objects, same ApiErrors, same watch events, in-process or over HTTP.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeList, KubeObject } from '../apis/meta.js';
import { ApiError, isAlreadyExists, isConflict, isInvalid, isNotFound } from '../lib/errors.js';
import type {
  Client,
  ListOptions,
  PatchType,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from './client.js';
import { CONFIGMAPS, DEPLOYMENTS, HPAS, INGRESSES, NAMESPACES, PODS } from './resources.js';

export interface ClientHarness {
  client: Client;
  stop(): Promise<void>;
}

const WAIT = { timeout: 5000, interval: 5 };

/** The rejection of p, which must be an ApiError. */
async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => new Error('expected the call to fail'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/**
 * A ConfigMap labelled `contract`: watches select on that label, so objects that controllers of
 * the server under test may add to a namespace (kube-root-ca.crt, say) never reach them.
 */
const cm = (ns: string, name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  ...extra,
  metadata: {
    name,
    namespace: ns,
    ...extra.metadata,
    labels: { contract: 'true', ...extra.metadata?.labels },
  },
});

const ingress = (ns: string, name: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: ns },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
});

interface Recorder {
  /** `TYPE name` per event, in arrival order. */
  seen: string[];
  objects: KubeObject[];
  closed: { error: unknown }[];
  handle: WatchHandle;
}

/** Watches the contract's ConfigMaps in ns: labelled `contract`, and matching opts.labelSelector. */
function record(client: Client, ns: string, opts: WatchOptions = {}): Recorder {
  const r: Omit<Recorder, 'handle'> = { seen: [], objects: [], closed: [] };
  const labelSelector = ['contract', opts.labelSelector].filter(Boolean).join(',');
  const handle = client.watch(
    CONFIGMAPS,
    { ...opts, namespace: ns, labelSelector },
    {
      onEvent: (e) => {
        r.seen.push(`${e.type} ${e.object.metadata.name ?? ''}`);
        r.objects.push(e.object);
      },
      onClose: (error) => r.closed.push({ error }),
    },
  );
  return { ...r, handle };
}

const names = (objs: KubeObject[]): (string | undefined)[] => objs.map((o) => o.metadata.name);

/** Runs the Client contract against the client setup() returns (one per suite). */
export function clientContract(name: string, setup: () => Promise<ClientHarness>): void {
  describe(`Client contract: ${name}`, () => {
    let harness: ClientHarness | undefined;
    let client: Client;
    let count = 0;
    beforeAll(async () => {
      harness = await setup();
      client = harness.client;
    });
    afterAll(async () => {
      await harness?.stop();
    });
    /** A namespace of its own per test, so lists and watches see only that test's objects. */
    const freshNamespace = async (): Promise<string> => {
      const ns = `contract-${++count}`;
      await client.create(NAMESPACES, { metadata: { name: ns } });
      return ns;
    };

    it('creates and gets namespaced and cluster-scoped objects in core and named groups', async () => {
      const ns = await freshNamespace();
      const created = await client.create(CONFIGMAPS, cm(ns, 'a', { data: { k: 'v' } }));
      expect(created).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
      expect(created.metadata).toMatchObject({ name: 'a', namespace: ns });
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(await client.get(CONFIGMAPS, ns, 'a')).toEqual(created);
      expect((await client.get(NAMESPACES, '', ns)).metadata.name).toBe(ns);
      const ing = await client.create(INGRESSES, ingress(ns, 'web'));
      expect(ing).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' });
      expect((await client.get(INGRESSES, ns, 'web')).metadata.uid).toBe(ing.metadata.uid);
      const dry = await client.create(CONFIGMAPS, cm(ns, 'dry'), { dryRun: true });
      expect(dry.metadata.name).toBe('dry');
      expect(isNotFound(await apiError(client.get(CONFIGMAPS, ns, 'dry')))).toBe(true);
    });

    type Call = (c: Client, ns: string) => Promise<unknown>;
    const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };
    const dup: Call = (c, ns) =>
      c.create(CONFIGMAPS, cm(ns, 'dup')).then(() => c.create(CONFIGMAPS, cm(ns, 'dup')));
    const errorCases: [string, Call, string, string][] = [
      [
        'get, missing',
        (c, ns) => c.get(CONFIGMAPS, ns, 'x'),
        '404 NotFound',
        'configmaps "x" not found',
      ],
      [
        'get, missing, named group',
        (c, ns) => c.get(DEPLOYMENTS, ns, 'x'),
        '404 NotFound',
        'deployments.apps "x" not found',
      ],
      ['create, existing', dup, '409 AlreadyExists', 'configmaps "dup" already exists'],
      [
        'create, invalid',
        (c, ns) => c.create(CONFIGMAPS, cm(ns, 'A_')),
        '422 Invalid',
        'ConfigMap "A_" is invalid: metadata.name: Invalid value: "A_"',
      ],
      [
        'list, bad selector',
        (c, ns) => c.list(CONFIGMAPS, { namespace: ns, labelSelector: 'a in (' }),
        '400 BadRequest',
        '',
      ],
      [
        'delete, missing',
        (c, ns) => c.delete(CONFIGMAPS, ns, 'x'),
        '404 NotFound',
        'configmaps "x" not found',
      ],
      ['get, unknown resource', (c, ns) => c.get(widgets, ns, 'x'), '404 NotFound', ''],
    ];
    it.each(errorCases)('answers %s with an ApiError', async (_what, call, status, message) => {
      const e = await apiError(call(client, await freshNamespace()));
      expect(`${e.code} ${e.reason}`).toBe(status);
      expect(e.message).toContain(message);
      expect(isNotFound(e)).toBe(e.reason === 'NotFound');
      expect(isAlreadyExists(e)).toBe(e.reason === 'AlreadyExists');
      expect(isInvalid(e)).toBe(e.reason === 'Invalid');
      if (isInvalid(e)) {
        expect(e.details?.causes?.[0]?.field).toBe('metadata.name');
      }
    });

    it('lists with label and field selectors, in one namespace or all, in pages', async () => {
      const ns = await freshNamespace();
      const other = await freshNamespace();
      const run = `run-${ns}`;
      const labelled = (n: string, tier: string, where = ns) =>
        client.create(CONFIGMAPS, cm(where, n, { metadata: { labels: { run, tier } } }));
      await labelled('a', 'web');
      await labelled('b', 'db');
      await labelled('c', 'web');
      await labelled('d', 'web', other);
      const listed = async (opts: ListOptions) =>
        (await client.list(CONFIGMAPS, opts)).items.map((o) => o.metadata.name);
      const all = await client.list(CONFIGMAPS, { namespace: ns });
      expect(all.kind).toBe('ConfigMapList');
      expect(all.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(names(all.items)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
      expect(await listed({ namespace: ns, labelSelector: 'tier=web' })).toEqual(['a', 'c']);
      expect(await listed({ namespace: ns, labelSelector: 'tier in (db),run' })).toEqual(['b']);
      expect(await listed({ namespace: ns, fieldSelector: 'metadata.name=c' })).toEqual(['c']);
      const everywhere = await client.list(CONFIGMAPS, { labelSelector: `run=${run},tier=web` });
      const keys = everywhere.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      expect(keys.sort()).toEqual([`${ns}/a`, `${ns}/c`, `${other}/d`].sort());
      const page1 = await client.list(CONFIGMAPS, { labelSelector: `run=${run}`, limit: 2 });
      expect(page1.items).toHaveLength(2);
      const rest = { labelSelector: `run=${run}`, continue: page1.metadata.continue ?? '' };
      expect(rest.continue).not.toBe('');
      const page2 = await client.list(CONFIGMAPS, rest);
      expect(names([...page1.items, ...page2.items]).sort()).toEqual(['a', 'b', 'c', 'd']);
    });

    it('updates with optimistic concurrency: a stale resourceVersion is a Conflict', async () => {
      const ns = await freshNamespace();
      const v1 = await client.create(CONFIGMAPS, cm(ns, 'a', { data: { n: '1' } }));
      const v2 = await client.update(CONFIGMAPS, { ...v1, data: { n: '2' } });
      expect(v2.data).toEqual({ n: '2' });
      expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(
        Number(v1.metadata.resourceVersion),
      );
      const e = await apiError(client.update(CONFIGMAPS, { ...v1, data: { n: '3' } }));
      expect(isConflict(e)).toBe(true);
      expect(e.code).toBe(409);
      expect(e.message).toBe(
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect((await client.get(CONFIGMAPS, ns, 'a')).data).toEqual({ n: '2' });
    });

    it('updateStatus writes status only, and update leaves status alone', async () => {
      const ns = await freshNamespace();
      const created = await client.create(INGRESSES, ingress(ns, 'web'));
      const status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
      const otherSpec = { defaultBackend: { service: { name: 'other', port: { number: 81 } } } };
      const afterStatus = await client.updateStatus(INGRESSES, {
        ...created,
        spec: otherSpec,
        status,
      });
      expect(afterStatus.status).toEqual(status);
      expect(afterStatus.spec).toEqual(created.spec);
      const afterUpdate = await client.update(INGRESSES, {
        ...afterStatus,
        spec: otherSpec,
        status: {},
      });
      expect(afterUpdate.spec).toEqual(otherSpec);
      expect(afterUpdate.status).toEqual(status);
      const moved = { loadBalancer: { ingress: [{ ip: '127.0.0.2' }] } };
      const patch = { spec: created.spec, status: moved };
      const patched = await client.patch(INGRESSES, ns, 'web', 'merge', patch, {
        subresource: 'status',
      });
      expect(patched.status).toEqual(moved);
      expect(patched.spec).toEqual(otherSpec);
    });

    it('patches with JSON, merge, strategic merge and apply patches', async () => {
      const ns = await freshNamespace();
      await client.create(CONFIGMAPS, cm(ns, 'a', { data: { a: '1' } }));
      const patch = (type: PatchType, body: unknown) =>
        client.patch(CONFIGMAPS, ns, 'a', type, body).then((o) => o.data);
      const apply = (name: string, data: object, opts: WriteOptions) =>
        client.patch(CONFIGMAPS, ns, name, 'apply', cm(ns, name, { data }), opts);
      const add = [{ op: 'add', path: '/data/b', value: '2' }];
      expect(await patch('json', add)).toEqual({ a: '1', b: '2' });
      expect(await patch('merge', { data: { a: null, c: '3' } })).toEqual({ b: '2', c: '3' });
      // `$patch: replace` is a strategic-merge directive: it means nothing to a merge patch.
      expect(await patch('strategic', { data: { $patch: 'replace', d: '4' } })).toEqual({ d: '4' });
      const applied = await apply('a', { e: '5' }, { fieldManager: 'one' });
      expect(applied.data).toEqual({ d: '4', e: '5' });
      const entry = applied.metadata.managedFields?.find((m) => m.manager === 'one');
      expect(entry?.operation).toBe('Apply');
      const clash = await apiError(apply('a', { e: '6' }, { fieldManager: 'two' }));
      expect(isConflict(clash)).toBe(true);
      const forced = await apply('a', { e: '6' }, { fieldManager: 'two', force: true });
      expect(forced.data).toEqual({ d: '4', e: '6' });
      expect((await apply('b', { x: 'y' }, { fieldManager: 'one' })).metadata.uid).toBeTruthy();
      const missing = client.patch(CONFIGMAPS, ns, 'c', 'merge', { data: {} });
      expect(isNotFound(await apiError(missing))).toBe(true);
    });

    it('deletes: NotFound afterwards; a finalizer keeps the object with a deletionTimestamp', async () => {
      const ns = await freshNamespace();
      const a = await client.create(CONFIGMAPS, cm(ns, 'a'));
      const stale = { preconditions: { resourceVersion: '1' } };
      expect(isConflict(await apiError(client.delete(CONFIGMAPS, ns, 'a', stale)))).toBe(true);
      expect(
        await client.delete(CONFIGMAPS, ns, 'a', { preconditions: { uid: a.metadata.uid ?? '' } }),
      ).toBeUndefined();
      expect(isNotFound(await apiError(client.get(CONFIGMAPS, ns, 'a')))).toBe(true);
      await client.create(
        CONFIGMAPS,
        cm(ns, 'held', { metadata: { finalizers: ['example.com/hold'] } }),
      );
      const lingering = await client.delete(CONFIGMAPS, ns, 'held');
      expect(lingering?.metadata.deletionTimestamp).toBeTruthy();
      expect(lingering?.metadata.finalizers).toEqual(['example.com/hold']);
      expect((await client.get(CONFIGMAPS, ns, 'held')).metadata.deletionTimestamp).toBeTruthy();
      await client.patch(CONFIGMAPS, ns, 'held', 'merge', { metadata: { finalizers: null } });
      expect(isNotFound(await apiError(client.get(CONFIGMAPS, ns, 'held')))).toBe(true);
      // Unscheduled pods go at once, and Kubernetes answers a pod delete with the pod.
      await client.create(PODS, {
        metadata: { name: 'p', namespace: ns },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      });
      expect((await client.delete(PODS, ns, 'p'))?.metadata.name).toBe('p');
    });

    it('watches ADDED, MODIFIED and DELETED in order, from a list resourceVersion', async () => {
      const ns = await freshNamespace();
      const { metadata } = await client.list(CONFIGMAPS, { namespace: ns });
      const rv = metadata.resourceVersion ?? '';
      const w = record(client, ns, { resourceVersion: rv });
      await client.create(CONFIGMAPS, cm(ns, 'a'));
      await client.patch(CONFIGMAPS, ns, 'a', 'merge', { data: { k: 'v' } });
      await client.delete(CONFIGMAPS, ns, 'a');
      await vi.waitFor(() => expect(w.seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']), WAIT);
      expect(w.objects[1]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
      w.handle.stop();
      expect(w.closed).toEqual([]);
    });

    it('watches the current state first without a resourceVersion; selectors filter', async () => {
      const ns = await freshNamespace();
      await client.create(CONFIGMAPS, cm(ns, 'old', { metadata: { labels: { app: 'a' } } }));
      const w = record(client, ns, { labelSelector: 'app=a' });
      await vi.waitFor(() => expect(w.seen).toEqual(['ADDED old']), WAIT);
      await client.create(CONFIGMAPS, cm(ns, 'skip', { metadata: { labels: { app: 'b' } } }));
      await client.create(CONFIGMAPS, cm(ns, 'new', { metadata: { labels: { app: 'a' } } }));
      await client.patch(CONFIGMAPS, ns, 'old', 'merge', { metadata: { labels: { app: 'b' } } });
      // Leaving the selection reads as a delete to this watcher.
      await vi.waitFor(
        () => expect(w.seen).toEqual(['ADDED old', 'ADDED new', 'DELETED old']),
        WAIT,
      );
      w.handle.stop();
    });

    it('resumes a watch from a resourceVersion; a stopped watch hears nothing more', async () => {
      const ns = await freshNamespace();
      const { metadata } = await client.list(CONFIGMAPS, { namespace: ns });
      const rv = metadata.resourceVersion ?? '';
      const first = record(client, ns, { resourceVersion: rv });
      await client.create(CONFIGMAPS, cm(ns, 'a'));
      await vi.waitFor(() => expect(first.seen).toEqual(['ADDED a']), WAIT);
      first.handle.stop();
      await client.patch(CONFIGMAPS, ns, 'a', 'merge', { data: { k: 'v' } });
      await client.delete(CONFIGMAPS, ns, 'a');
      const after = first.objects[0]?.metadata.resourceVersion ?? '';
      const resumed = record(client, ns, { resourceVersion: after });
      await vi.waitFor(() => expect(resumed.seen).toEqual(['MODIFIED a', 'DELETED a']), WAIT);
      resumed.handle.stop();
      expect(first.seen).toEqual(['ADDED a']);
      expect(first.closed).toEqual([]);
    });

    it('reads and writes the scale subresource, conditionally on its resourceVersion', async () => {
      const ns = await freshNamespace();
      const labels = { app: 'web' };
      await client.create(DEPLOYMENTS, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'c', image: 'app' }] },
          },
        },
      });
      const scale = await client.getScale(DEPLOYMENTS, ns, 'web');
      expect(scale).toMatchObject({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        spec: { replicas: 2 },
        status: { selector: 'app=web' },
      });
      // Controllers of the server under test may write the Deployment meanwhile: unconditional.
      const { resourceVersion, ...meta } = scale.metadata;
      expect(resourceVersion).toBeTruthy();
      const updated = await client.updateScale(DEPLOYMENTS, {
        ...scale,
        metadata: meta,
        spec: { replicas: 5 },
      });
      expect(updated).toMatchObject({ spec: { replicas: 5 } });
      expect((await client.get(DEPLOYMENTS, ns, 'web')).spec).toMatchObject({ replicas: 5 });
      const stale = {
        ...scale,
        metadata: { ...meta, resourceVersion: '1' },
        spec: { replicas: 1 },
      };
      const e = await apiError(client.updateScale(DEPLOYMENTS, stale));
      expect(isConflict(e)).toBe(true);
      const missing = await apiError(client.getScale(DEPLOYMENTS, ns, 'nope'));
      expect(missing.message).toBe('deployments.apps "nope" not found');
    });

    it('GETs paths as written: objects, status, scale, lists with a query, and 404s', async () => {
      const ns = await freshNamespace();
      await client.create(
        CONFIGMAPS,
        cm(ns, 'a', { metadata: { name: 'a', namespace: ns, labels: { x: '1' } } }),
      );
      await client.create(CONFIGMAPS, cm(ns, 'b'));
      const one = await client.getSubresource(CONFIGMAPS, { namespace: ns, name: 'a' });
      expect(one).toEqual(await client.get(CONFIGMAPS, ns, 'a'));
      const listed = (await client.getSubresource(
        CONFIGMAPS,
        { namespace: ns },
        { labelSelector: 'x=1' },
      )) as KubeList;
      expect(listed.items.map((o) => o.metadata.name)).toEqual(['a']);
      const labels = { app: 'web' };
      await client.create(DEPLOYMENTS, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'app' }] } },
        },
      });
      const target = { namespace: ns, name: 'web' };
      expect(
        await client.getSubresource(DEPLOYMENTS, { ...target, subresource: 'scale' }),
      ).toMatchObject({
        kind: 'Scale',
        spec: { replicas: 3 },
      });
      expect(
        await client.getSubresource(DEPLOYMENTS, { ...target, subresource: 'status' }),
      ).toMatchObject({
        kind: 'Deployment',
        metadata: { name: 'web' },
      });
      const missing = await apiError(
        client.getSubresource(DEPLOYMENTS, { ...target, subresource: 'nope' }),
      );
      expect(missing.code).toBe(404);
    });

    it('lists the served resources once each, in preferred versions, with scope and verbs', async () => {
      const resources = await client.serverResources();
      const find = (group: string, resource: string) =>
        resources.find((r) => r.ref.group === group && r.ref.resource === resource);
      expect(find('', 'pods')).toMatchObject({ ref: PODS, kind: 'Pod', namespaced: true });
      expect(find('', 'pods')?.verbs).toEqual(
        expect.arrayContaining(['get', 'list', 'watch', 'delete']),
      );
      expect(find('', 'namespaces')).toMatchObject({ kind: 'Namespace', namespaced: false });
      expect(find('apps', 'deployments')).toMatchObject({ ref: DEPLOYMENTS, kind: 'Deployment' });
      expect(find('autoscaling', 'horizontalpodautoscalers')?.ref).toEqual(HPAS);
      expect(resources.some((r) => r.ref.resource.includes('/'))).toBe(false);
      const ids = resources.map((r) => `${r.ref.group}/${r.ref.resource}`);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
}
