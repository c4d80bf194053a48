// custom.metrics.k8s.io and external.metrics.k8s.io over HTTP through the real API handler (the
// ComputedGroupRegistry routing of src/api/handlers/computed.ts), answered by the built-in
// provider, compared with what custom-metrics-apiserver and prometheus-adapter answer.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinResources } from '../../apis/builtin.js';
import { createSchemaRegistry } from '../../apis/schema/index.js';
import { Discovery } from '../../api/discovery.js';
import {
  COMPUTED_GROUP_RESOURCE,
  ComputedGroupRegistry,
  ComputedGroupResource,
} from '../../api/handlers/computed.js';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { InMemoryApi } from '../../api/in-memory.js';
import { createOpenApi } from '../../api/openapi/index.js';
import { ApiHandler } from '../../api/server.js';
import { metricsFixture } from './testing.js';
import type { MetricsFixture } from './testing.js';

let api: InMemoryApi;
let fixture: MetricsFixture;
let server: Server;
let base = '';

async function get(path: string, method = 'GET') {
  const res = await fetch(`${base}${path}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  api = createInMemoryApi();
  fixture = await metricsFixture(api.client);
  const registry = new ComputedGroupRegistry(builtinResources(), fixture.groups);
  const handler = new ApiHandler({
    registry,
    discovery: new Discovery(registry),
    openapi: createOpenApi(registry.resources, {
      serverVersion: 'v1.32.4',
      registry: createSchemaRegistry(),
    }),
    svc: api.svc,
    version: { major: '1', minor: '32', gitVersion: 'v1.32.4' },
    log: pino({ level: 'silent' }),
    now: () => new Date(),
  });
  for (const g of fixture.groups) {
    handler.registerComputed(g.group, COMPUTED_GROUP_RESOURCE, new ComputedGroupResource(g));
  }
  server = createServer(handler.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  fixture.stop();
  api.store.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const CM = '/apis/custom.metrics.k8s.io';
const service = {
  kind: 'Service',
  namespace: 'default',
  name: 'web',
  apiVersion: '/v1',
};
const stamp = '2026-01-01T00:00:00Z';

describe('custom.metrics.k8s.io', () => {
  it('answers an Object metric of a Service: the sum over its pods, as a one-item list', async () => {
    const { status, body } = await get(
      `${CM}/v1beta2/namespaces/default/services/web/total_hit_count`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'MetricValueList',
      apiVersion: 'custom.metrics.k8s.io/v1beta2',
      metadata: {},
      items: [
        {
          describedObject: service,
          metric: { name: 'total_hit_count', selector: null },
          timestamp: stamp,
          value: '132',
        },
      ],
    });
  });

  it('answers v1beta1 in its own shape (metricName, top-level selector)', async () => {
    const { body } = await get(`${CM}/v1beta1/namespaces/default/services/*/total_hit_count`);
    expect(body).toEqual({
      kind: 'MetricValueList',
      apiVersion: 'custom.metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          describedObject: service,
          metricName: 'total_hit_count',
          timestamp: stamp,
          value: '132',
          selector: null,
        },
      ],
    });
  });

  it('answers pods/* with the label selector, counters as rates, milli-quantities', async () => {
    const rates = await get(
      `${CM}/v1beta2/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb`,
    );
    expect(rates.body.items).toEqual([
      {
        describedObject: { kind: 'Pod', namespace: 'default', name: 'web-a', apiVersion: '/v1' },
        metric: { name: 'http_requests', selector: null },
        timestamp: stamp,
        value: '2',
      },
    ]);
    const hits = await get(
      `${CM}/v1beta2/namespaces/default/pods/*/total_hit_count?labelSelector=app%3Dweb`,
    );
    expect((hits.body.items as { value: string }[]).map((i) => i.value)).toEqual(['100', '32']);
    const none = await get(
      `${CM}/v1beta2/namespaces/default/pods/*/total_hit_count?labelSelector=app%3Ddb`,
    );
    expect(none.body.items).toEqual([]);
  });

  it('filters series by metricLabelSelector and echoes it as metric.selector', async () => {
    const { body } = await get(
      `${CM}/v1beta2/namespaces/default/pods/web-a/http_requests?metricLabelSelector=code%3D200`,
    );
    expect(body.items).toEqual([
      expect.objectContaining({
        metric: { name: 'http_requests', selector: { matchLabels: { code: '200' } } },
        value: '2',
      }),
    ]);
    const miss = await get(
      `${CM}/v1beta2/namespaces/default/pods/web-a/http_requests?metricLabelSelector=code%3D500`,
    );
    expect(miss.status).toBe(404);
  });

  it('answers metrics of a namespace at /namespaces/<ns>/metrics/<metric>', async () => {
    const { body } = await get(`${CM}/v1beta2/namespaces/default/metrics/total_hit_count`);
    expect(body.items).toEqual([
      {
        describedObject: { kind: 'Namespace', name: 'default', apiVersion: '/v1' },
        metric: { name: 'total_hit_count', selector: null },
        timestamp: stamp,
        value: '132',
      },
    ]);
  });

  it.each([
    [
      'an unknown metric',
      `${CM}/v1beta2/namespaces/default/services/web/nope`,
      404,
      'the server could not find the metric nope for services',
    ],
    [
      'an object without series',
      `${CM}/v1beta2/namespaces/default/services/db/total_hit_count`,
      404,
      'the server could not find the metric total_hit_count for services db',
    ],
    [
      'an unknown resource',
      `${CM}/v1beta2/namespaces/default/deployments.apps/web/total_hit_count`,
      404,
      'the server could not find the metric total_hit_count for deployments.apps',
    ],
    [
      'a path without a metric',
      `${CM}/v1beta2/namespaces/default/pods/web-a`,
      400,
      'invalid request path',
    ],
    [
      'a bad selector',
      `${CM}/v1beta2/namespaces/default/pods/*/total_hit_count?labelSelector=a%20in%20(`,
      400,
      '',
    ],
    [
      'an unserved version',
      `${CM}/v1/namespaces/default/pods/*/total_hit_count`,
      404,
      'the server could not find the requested resource',
    ],
  ])('answers %s with a Status', async (_what, path, code, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(code);
    expect(body).toMatchObject({ kind: 'Status', code });
    expect(body.message).toContain(message);
  });

  it('refuses writes', async () => {
    const { status } = await get(
      `${CM}/v1beta2/namespaces/default/pods/*/total_hit_count`,
      'DELETE',
    );
    expect(status).toBe(405);
  });

  it('is discoverable: groups, versions and the metrics as `<resource>/<metric>`', async () => {
    const groups = await get('/apis');
    const names = (
      groups.body.groups as { name: string; preferredVersion: { version: string } }[]
    ).map((g) => [g.name, g.preferredVersion.version]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['custom.metrics.k8s.io', 'v1beta2'],
        ['external.metrics.k8s.io', 'v1beta1'],
      ]),
    );
    const list = await get(`${CM}/v1beta1`);
    expect(list.body.resources).toContainEqual({
      name: 'services/total_hit_count',
      singularName: '',
      namespaced: true,
      kind: 'MetricValueList',
      verbs: ['get'],
    });
    expect(list.body.resources).toContainEqual(
      expect.objectContaining({ name: 'namespaces/http_requests', namespaced: false }),
    );
  });
});

describe('external.metrics.k8s.io', () => {
  it('lists the values of a metric in the namespace, with their labels', async () => {
    const { status, body } = await get(
      '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/total_hit_count?labelSelector=pod%3Dweb-b',
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'ExternalMetricValueList',
      apiVersion: 'external.metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          metricName: 'total_hit_count',
          metricLabels: { namespace: 'default', service: 'web', pod: 'web-b', job: 'web' },
          timestamp: stamp,
          value: '32',
        },
      ],
    });
  });

  it.each([
    ['default', 'the server could not find the metric nope for namespaces'],
    ['other', 'the server could not find the metric nope for '],
  ])('answers an unknown metric in %s with the adapter’s 404', async (ns, message) => {
    const { status, body } = await get(
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${ns}/nope`,
    );
    expect(status).toBe(404);
    expect(body.message).toBe(message);
  });
});
