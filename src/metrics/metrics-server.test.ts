import { beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../api/in-memory.js';
import type { Client, WatchCallbacks } from '../client/client.js';
import { NAMESPACES, NODES, PODS } from '../client/resources.js';
import { ApiError } from '../lib/errors.js';
import { MetricsServer } from './metrics-server.js';
import type { KubeletSummary, SummarySource } from './summary.js';

const NOW = new Date('2026-03-01T10:00:00.400Z');
const SAMPLED = '2026-03-01T09:59:58Z';
const POD_METRICS = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' };
const NODE_METRICS = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'nodes' };

const usage = (nanoCores: number, bytes: number) => ({
  cpu: { time: SAMPLED, usageNanoCores: nanoCores },
  memory: { time: SAMPLED, workingSetBytes: bytes },
});

const SUMMARY: KubeletSummary = {
  node: { nodeName: 'n1', ...usage(1_250_000_000, 2 * 1024 ** 3) },
  pods: [
    {
      podRef: { namespace: 'default', name: 'web' },
      containers: [
        { name: 'app', ...usage(250_000_000, 5 * 1024 ** 2) },
        { name: 'sidecar', ...usage(1_234_567, 5_246_976) },
      ],
    },
    {
      podRef: { namespace: 'default', name: 'db' },
      containers: [{ name: 'db', ...usage(0, 1024) }],
    },
    { podRef: { namespace: 'team', name: 'job' }, containers: [{ name: 'j', ...usage(7, 4096) }] },
    {
      podRef: { namespace: 'default', name: 'pending' },
      containers: [{ name: 'p', ...usage(1, 1) }],
    },
  ],
};

const source = (summary: () => Promise<KubeletSummary>): SummarySource => ({
  nodeName: 'n1',
  summary,
});

let client: Client;
let metrics: MetricsServer;

async function runningPod(namespace: string, name: string, phase = 'Running'): Promise<void> {
  const pod = await client.create(PODS, {
    metadata: { namespace, name, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'fixture' }] },
  });
  await client.updateStatus(PODS, { ...pod, status: { phase } });
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

beforeAll(async () => {
  client = createInMemoryApi(() => NOW).client;
  await client.create(NAMESPACES, { metadata: { name: 'team' } });
  await client.create(NODES, { metadata: { name: 'n1', labels: { role: 'worker' } } });
  await client.create(NODES, { metadata: { name: 'n2' } });
  await runningPod('default', 'web');
  await runningPod('default', 'db');
  await runningPod('default', 'new');
  await runningPod('default', 'pending', 'Pending');
  await runningPod('team', 'job');
  metrics = new MetricsServer({ client, resolutionMs: 15_000, now: () => NOW });
  metrics.addSource(source(() => Promise.resolve(SUMMARY)));
  await metrics.scrapeNow();
});

describe('PodMetrics', () => {
  it('lists the namespace’s Running pods that have metrics, sorted, as metrics-server does', async () => {
    expect(await metrics.pods.list('default')).toEqual([
      {
        metadata: {
          name: 'db',
          namespace: 'default',
          creationTimestamp: '2026-03-01T10:00:00Z',
          labels: { app: 'db' },
        },
        timestamp: SAMPLED,
        window: '15s',
        containers: [{ name: 'db', usage: { cpu: '0', memory: '1Ki' } }],
      },
      {
        metadata: {
          name: 'web',
          namespace: 'default',
          creationTimestamp: '2026-03-01T10:00:00Z',
          labels: { app: 'web' },
        },
        timestamp: SAMPLED,
        window: '15s',
        containers: [
          { name: 'app', usage: { cpu: '250m', memory: '5Mi' } },
          { name: 'sidecar', usage: { cpu: '1234567n', memory: '5124Ki' } },
        ],
      },
    ]);
  });

  it.each<[string, string, { labelSelector?: string; fieldSelector?: string }, string[]]>([
    ['all namespaces', '', {}, ['default/db', 'default/web', 'team/job']],
    ['a label selector', '', { labelSelector: 'app in (web,job)' }, ['default/web', 'team/job']],
    ['metadata.name', 'default', { fieldSelector: 'metadata.name=db' }, ['default/db']],
    ['metadata.namespace', '', { fieldSelector: 'metadata.namespace!=default' }, ['team/job']],
    // metrics-server matches metadata fields only: anything else reads as empty.
    ['a non-metadata field', 'default', { fieldSelector: 'status.phase=Running' }, []],
  ])('selects by %s', async (_what, namespace, opts, expected) => {
    const items = await metrics.pods.list(namespace, opts);
    expect(items.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(expected);
  });

  it('rejects a bad field selector with the apiserver’s 400', async () => {
    const err = await apiError(metrics.pods.list('default', { fieldSelector: 'metadata.name' }));
    expect(err.code).toBe(400);
  });

  it('gets one pod', async () => {
    const got = await metrics.pods.get('team', 'job');
    expect(got.containers).toEqual([{ name: 'j', usage: { cpu: '7n', memory: '4Ki' } }]);
  });

  it.each([
    ['an unknown pod', 'nosuch', 'pods "nosuch" not found', ''],
    ['a pod that is not Running', 'pending', 'pods "pending" not found', ''],
    [
      'a Running pod without metrics yet',
      'new',
      'podmetrics.metrics.k8s.io "default/new" not found',
      'metrics.k8s.io',
    ],
  ])('answers 404 for %s, worded as metrics-server', async (_what, name, message, group) => {
    const err = await apiError(metrics.pods.get('default', name));
    expect([err.code, err.reason, err.message]).toEqual([404, 'NotFound', message]);
    expect(err.details?.group ?? '').toBe(group);
  });
});

describe('NodeMetrics', () => {
  it('lists nodes with metrics, with their labels', async () => {
    expect(await metrics.nodes.list('')).toEqual([
      {
        metadata: {
          name: 'n1',
          creationTimestamp: '2026-03-01T10:00:00Z',
          labels: { role: 'worker' },
        },
        timestamp: SAMPLED,
        window: '15s',
        usage: { cpu: '1250m', memory: '2Gi' },
      },
    ]);
    expect(await metrics.nodes.list('', { labelSelector: 'role!=worker' })).toEqual([]);
    expect(await metrics.nodes.list('', { fieldSelector: 'metadata.name=n2' })).toEqual([]);
  });

  it.each([
    ['an unknown node', 'gone', 'node "gone" not found'],
    ['a node without metrics', 'n2', 'nodemetrics.metrics.k8s.io "n2" not found'],
  ])('answers 404 for %s', async (_what, name, message) => {
    const err = await apiError(metrics.nodes.get('', name));
    expect([err.code, err.message]).toEqual([404, message]);
  });
});

describe('scraping', () => {
  it('replaces the batch whole: a node whose scrape fails drops out', async () => {
    const failing = new MetricsServer({ client, resolutionMs: 1000, now: () => NOW });
    let fail = false;
    failing.addSource(
      source(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve(SUMMARY))),
    );
    await failing.scrapeNow();
    expect(await failing.nodes.list('')).toHaveLength(1);
    fail = true;
    await failing.scrapeNow();
    expect(await failing.nodes.list('')).toEqual([]);
    expect(await failing.pods.list('')).toEqual([]);
  });

  it('scrapes every resolution until the signal aborts', async () => {
    const ticking = new MetricsServer({ client, resolutionMs: 20, now: () => NOW });
    let calls = 0;
    ticking.addSource(source(() => (calls++, Promise.resolve(SUMMARY))));
    const stop = new AbortController();
    const done = ticking.start(stop.signal);
    await expect.poll(() => calls, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    stop.abort();
    await done;
    const after = calls;
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(after);
  });
});

describe('clientWithMetrics', () => {
  it('answers metrics reads and passes everything else through', async () => {
    const c = metrics.clientWithMetrics(client);
    const list = await c.list(POD_METRICS, { namespace: 'default', labelSelector: 'app=web' });
    expect(list.kind).toBe('PodMetricsList');
    expect(list.apiVersion).toBe('metrics.k8s.io/v1beta1');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['web']);
    const node = await c.get(NODE_METRICS, '', 'n1');
    expect([node.kind, node.apiVersion]).toEqual(['NodeMetrics', 'metrics.k8s.io/v1beta1']);
    expect((await c.get(PODS, 'default', 'web')).kind).toBe('Pod');
    expect((await c.list(NODES)).items).toHaveLength(2);
  });

  it('refuses writes and watches of metrics as the API does', async () => {
    const c = metrics.clientWithMetrics(client);
    const err = await apiError(c.create(POD_METRICS, { metadata: { name: 'x' } }));
    expect([err.code, err.reason]).toEqual([405, 'MethodNotAllowed']);
    const closed = await new Promise<unknown>((resolve) => {
      const callbacks: WatchCallbacks = { onEvent: () => undefined, onClose: resolve };
      c.watch(POD_METRICS, { namespace: 'default' }, callbacks);
    });
    expect((closed as ApiError).message).toBe(
      'watch is not supported on resources of kind "pods.metrics.k8s.io"',
    );
  });
});
