import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { Client } from '../../client/client.js';
import { PODS, SERVICES } from '../../client/resources.js';
import { ApiError } from '../../lib/errors.js';
import { everythingSelector, parseLabelSelector } from '../../lib/labels.js';
import { configFromYaml } from './config.js';
import { FakePrometheus, vectorAnswer } from './fake-prometheus.js';
import { createPrometheusAdapter } from './index.js';
import type { PrometheusAdapter } from './index.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const RULES = configFromYaml(`
rules:
- seriesQuery: '{__name__=~"^total_hit_count$",namespace!=""}'
  resources:
    overrides:
      namespace: {resource: "namespace"}
      pod: {resource: "pod"}
      service: {resource: "service"}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)
externalRules:
- seriesQuery: '{__name__="queue_depth",topic!=""}'
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (topic)
  resources:
    overrides: { namespace: {resource: "namespace"} }
`);
const SERIES = [
  { __name__: 'total_hit_count', namespace: 'default', pod: 'web-1', service: 'web' },
  { __name__: 'total_hit_count', namespace: 'default', pod: 'web-2', service: 'web' },
  { __name__: 'queue_depth', topic: 'orders', namespace: 'default' },
];

const prom = new FakePrometheus();
let client: Client;
let adapter: PrometheusAdapter;
let lastQuery = '';

beforeAll(async () => {
  const url = await prom.start();
  prom.answer = (path, form) => {
    if (path === '/api/v1/series') {
      const sel = form.get('match[]') ?? '';
      return { body: { status: 'success', data: SERIES.filter((s) => sel.includes(s.__name__)) } };
    }
    lastQuery = form.get('query') ?? '';
    if (lastQuery.includes('queue_depth')) {
      return vectorAnswer([{ metric: { topic: 'orders' }, value: 7 }]);
    }
    const byPod = lastQuery.includes('by (pod)');
    return vectorAnswer(
      byPod
        ? [
            { metric: { pod: 'web-1' }, value: 30 },
            { metric: { pod: 'web-2' }, value: 0.0015 },
          ]
        : [{ metric: { service: 'web' }, value: 132 }],
    );
  };
  client = createInMemoryApi().client;
  for (const name of ['web-1', 'web-2', 'other']) {
    await client.create(PODS, {
      metadata: { namespace: 'default', name, labels: { app: name === 'other' ? 'x' : 'web' } },
      spec: { containers: [{ name: 'c', image: 'fixture' }] },
    });
  }
  await client.create(SERVICES, {
    metadata: { namespace: 'default', name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  adapter = await createPrometheusAdapter({ client, now: () => NOW }, { url, rules: RULES });
  await adapter.discovery.relist();
});
afterAll(() => prom.stop());

const pods = { group: '', resource: 'pods' };
const services = { group: '', resource: 'services' };

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('the Prometheus custom metrics provider', () => {
  it('lists what discovery found', () => {
    const listed = adapter.custom
      .listAllMetrics()
      .map((i) => `${i.groupResource.resource}/${i.metric}`);
    expect(listed.sort()).toEqual([
      'namespaces/total_hit_count',
      'pods/total_hit_count',
      'services/total_hit_count',
    ]);
    expect(adapter.external.listAllExternalMetrics()).toEqual([{ metric: 'queue_depth' }]);
  });

  it("answers a Service's metric by name (the seed's Object metric)", async () => {
    const value = await adapter.custom.getMetricByName(
      { namespace: 'default', name: 'web' },
      { groupResource: services, namespaced: true, metric: 'total_hit_count' },
      everythingSelector(),
    );
    expect(lastQuery).toBe('sum(total_hit_count{namespace="default",service="web"}) by (service)');
    expect(value).toEqual({
      describedObject: { kind: 'Service', namespace: 'default', name: 'web', apiVersion: '/v1' },
      metric: { name: 'total_hit_count' },
      timestamp: '2026-03-01T10:00:00Z',
      value: '132',
    });
  });

  it('answers pods by label selector, listing the pods through the API', async () => {
    const values = await adapter.custom.getMetricBySelector(
      'default',
      parseLabelSelector('app=web'),
      { groupResource: pods, namespaced: true, metric: 'total_hit_count' },
      parseLabelSelector('verb=GET'),
    );
    expect(lastQuery).toBe(
      'sum(total_hit_count{verb="GET",namespace="default",pod=~"web-1|web-2"}) by (pod)',
    );
    expect(values.map((v) => [v.describedObject.name, v.value, v.metric.selector])).toEqual([
      ['web-1', '30', { matchLabels: { verb: 'GET' } }],
      ['web-2', '1m', { matchLabels: { verb: 'GET' } }],
    ]);
  });

  it.each([
    ['an unknown metric', 'nope', 'web', 'the server could not find the metric nope for services'],
    [
      'an object without samples',
      'total_hit_count',
      'ghost',
      'the server could not find the metric total_hit_count for services ghost',
    ],
  ])('answers 404 for %s', async (_why, metric, name, message) => {
    if (name === 'ghost') {
      prom.answer = () => vectorAnswer([]);
    }
    const err = await failure(
      adapter.custom.getMetricByName(
        { namespace: 'default', name },
        { groupResource: services, namespaced: true, metric },
        everythingSelector(),
      ),
    );
    expect([err.code, err.message]).toEqual([404, message]);
  });

  it('answers an opaque 500 when Prometheus fails, as the adapter does', async () => {
    prom.answer = () => ({ code: 503, raw: 'down' });
    const err = await failure(
      adapter.custom.getMetricByName(
        { namespace: 'default', name: 'web' },
        { groupResource: services, namespaced: true, metric: 'total_hit_count' },
        everythingSelector(),
      ),
    );
    expect(err.toStatus()).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: unable to fetch metrics',
    });
  });
});

describe('the Prometheus external metrics provider', () => {
  it('queries with the selector and namespace and returns each sample with its labels', async () => {
    prom.answer = () => vectorAnswer([{ metric: { topic: 'orders' }, value: 7 }]);
    const values = await adapter.external.getExternalMetric(
      'default',
      parseLabelSelector('topic=orders'),
      { metric: 'queue_depth' },
    );
    expect(prom.requests.at(-1)?.form.get('query')).toBe(
      'sum(queue_depth{topic="orders",namespace="default"}) by (topic)',
    );
    expect(values).toEqual([
      {
        metricName: 'queue_depth',
        metricLabels: { topic: 'orders' },
        timestamp: '2023-11-14T22:13:20Z',
        value: '7',
      },
    ]);
  });

  it.each([
    ['default', 'the server could not find the metric nope for namespaces'],
    ['team', 'the server could not find the metric nope for '],
  ])('answers 404 for an unknown metric in %s, worded as the adapter', async (ns, message) => {
    const err = await failure(
      adapter.external.getExternalMetric(ns, everythingSelector(), { metric: 'nope' }),
    );
    expect([err.code, err.message]).toEqual([404, message]);
  });
});

describe('discovery', () => {
  it('keeps the last listing when Prometheus cannot answer', async () => {
    prom.answer = () => ({ code: 500, raw: 'x' });
    await expect(adapter.discovery.relist()).rejects.toThrow(/unable to fetch metrics for query/);
    expect(adapter.custom.listAllMetrics()).toHaveLength(3);
  });

  it('relists every interval until the signal aborts, then resolves', async () => {
    prom.answer = () => ({ body: { status: 'success', data: [] } });
    const fast = await createPrometheusAdapter(
      { client },
      { url: prom.url, rules: RULES, relistIntervalMs: 20 },
    );
    const stop = new AbortController();
    const seriesAsked = () => prom.requests.filter((r) => r.path === '/api/v1/series').length;
    const before = seriesAsked();
    const done = fast.start(stop.signal);
    // Two selectors per round: three rounds ask at least six times.
    await vi.waitFor(() => expect(seriesAsked() - before).toBeGreaterThanOrEqual(6), {
      timeout: 5000,
    });
    stop.abort();
    await done;
    expect(fast.custom.listAllMetrics()).toEqual([]);
  });
});
