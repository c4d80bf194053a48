// The HPA's metrics client against the built-in custom/external metrics provider, in-process (the
// metrics-wrapped client kubeproc's controllers get) and over HTTP (as against a real cluster).
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
import type { MetricFetch } from '../../autoscaling/index.js';
import type { Client } from '../../client/client.js';
import { HttpClient } from '../../client/http.js';
import { withMetricsApi } from '../../metrics/client.js';
import { customMetricsApi } from '../../metrics/custom/api.js';
import { metricsFixture } from '../../metrics/custom/testing.js';
import type { MetricsFixture } from '../../metrics/custom/testing.js';
import { ApiMetricsClient } from './metrics-client.js';

let api: InMemoryApi;
let fixture: MetricsFixture;
let server: Server;
let http: HttpClient;

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
  http = new HttpClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterAll(async () => {
  http.close();
  fixture.stop();
  api.store.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const pods: MetricFetch = { kind: 'pods', metricName: 'total_hit_count' };
const object = (
  kind: string,
  name: string,
  metricName = 'total_hit_count',
  apiVersion = 'v1',
): MetricFetch => ({
  kind: 'object',
  describedObject: { kind, name, apiVersion },
  metricName,
});
const values = (data: unknown): string[] =>
  (Array.isArray(data) ? data : [data]).map((m: { value: string }) => m.value);

describe.each<[string, () => Client]>([
  ['in-process', () => withMetricsApi(api.client, {}, fixture.groups)],
  ['HTTP', () => http],
])('ApiMetricsClient (%s)', (_name, client) => {
  const fetch = (plan: MetricFetch, selector = 'app=web') =>
    new ApiMetricsClient(client()).fetch(plan, 'default', selector);

  it('fetches a Pods metric for the pods the selector matches', async () => {
    expect(values(await fetch(pods))).toEqual(['100', '32']);
    const filtered = await fetch({
      kind: 'pods',
      metricName: 'http_requests',
      metricSelector: { matchLabels: { code: '200' } },
    });
    expect(filtered).toEqual([
      expect.objectContaining({
        describedObject: expect.objectContaining({ name: 'web-a' }),
        value: '2',
      }),
    ]);
  });

  it('fetches an Object metric of a Service and of the namespace', async () => {
    expect(await fetch(object('Service', 'web'))).toMatchObject({
      describedObject: { kind: 'Service', name: 'web' },
      metric: { name: 'total_hit_count' },
      value: '132',
    });
    expect(values(await fetch(object('Namespace', 'ignored')))).toEqual(['132']);
  });

  it('fetches an External metric with its selector', async () => {
    const data = await fetch({
      kind: 'external',
      metricName: 'total_hit_count',
      metricSelector: { matchLabels: { pod: 'web-a' } },
    });
    expect(data).toEqual([
      expect.objectContaining({ metricName: 'total_hit_count', value: '100' }),
    ]);
  });

  it.each<[string, MetricFetch, string]>([
    [
      'an unknown metric',
      object('Service', 'web', 'nope'),
      'the server could not find the metric nope for services',
    ],
    [
      'an object without the metric',
      object('Service', 'db'),
      'the server could not find the metric total_hit_count for services db',
    ],
    [
      'an unknown kind',
      object('Widget', 'w', 'm', 'example.com/v1'),
      'unable to map kind Widget.example.com to resource: no matches for kind "Widget" in group "example.com"',
    ],
    [
      'an unknown external metric',
      { kind: 'external', metricName: 'nope' },
      'the server could not find the metric nope for namespaces',
    ],
  ])('reports %s with the API’s message', async (_what, plan, error) => {
    expect(await fetch(plan)).toEqual({ error });
  });
});

describe('ApiMetricsClient without or with older APIs', () => {
  it('says no custom metrics API is registered when none answers', async () => {
    const mc = new ApiMetricsClient(api.client);
    expect(await mc.fetch(pods, 'default', 'app=web')).toEqual({
      error: 'no custom metrics API (custom.metrics.k8s.io) registered',
    });
    const external = await mc.fetch({ kind: 'external', metricName: 'm' }, 'default', '');
    expect((external as { error: string }).error).toContain(
      'the server could not find the requested resource',
    );
  });

  it('falls back to v1beta1 and reads it in the v1beta2 shape', async () => {
    const v1beta1 = { ...customMetricsApi(() => fixture.provider), versions: ['v1beta1'] };
    const mc = new ApiMetricsClient(withMetricsApi(api.client, {}, [v1beta1]));
    expect(await mc.fetch(object('Service', 'web'), 'default', '')).toEqual({
      describedObject: { kind: 'Service', namespace: 'default', name: 'web', apiVersion: '/v1' },
      metric: { name: 'total_hit_count' },
      timestamp: '2026-01-01T00:00:00Z',
      value: '132',
    });
  });
});
