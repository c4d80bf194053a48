import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinResources } from '../../apis/builtin.js';
import type { KubeObject } from '../../apis/meta.js';
import { metricsResources } from '../../apis/metrics/resources.js';
import { createSchemaRegistry } from '../../apis/schema/index.js';
import { notFound } from '../../lib/errors.js';
import { Discovery } from '../discovery.js';
import { createInMemoryApi } from '../in-memory.js';
import { createOpenApi } from '../openapi/index.js';
import { ResourceRegistry } from '../registry.js';
import { ApiHandler } from '../server.js';
import type { ComputedListOptions, ComputedResource } from './computed.js';

const BASE = '/apis/metrics.k8s.io/v1beta1';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const metrics = (namespace: string, name: string): KubeObject => ({
  metadata: { name, namespace, creationTimestamp: '2026-01-01T00:00:00Z' },
  timestamp: '2026-01-01T00:00:00Z',
  window: '15s',
  containers: [{ name: 'app', usage: { cpu: '250m', memory: '5Mi' } }],
});

/** A provider that answers from two fixed objects and records what it was asked. */
class RecordingProvider implements ComputedResource {
  asked: [string, ComputedListOptions][] = [];

  get(namespace: string, name: string): Promise<KubeObject> {
    return name === 'web'
      ? Promise.resolve(metrics(namespace, name))
      : Promise.reject(notFound({ group: 'metrics.k8s.io', resource: 'podmetrics' }, name));
  }

  list(namespace: string, opts: ComputedListOptions): Promise<KubeObject[]> {
    this.asked.push([namespace, opts]);
    return Promise.resolve([metrics('default', 'db'), metrics('default', 'web')]);
  }
}

const provider = new RecordingProvider();
let server: Server;
let base = '';

async function get(path: string, accept = 'application/json', method = 'GET') {
  const res = await fetch(`${base}${path}`, { method, headers: { accept } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const api = createInMemoryApi();
  const registry = new ResourceRegistry([...builtinResources(), ...metricsResources()]);
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
    now: () => new Date('2026-01-01T00:00:30Z'),
  });
  handler.registerComputed('metrics.k8s.io', 'pods', provider);
  server = createServer(handler.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('computed resources over HTTP', () => {
  it('lists as a typed list whose items carry no kind, passing the selectors on', async () => {
    const { status, body } = await get(
      `${BASE}/namespaces/default/pods?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dweb`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'PodMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [metrics('default', 'db'), metrics('default', 'web')],
    });
    expect(provider.asked.at(-1)).toEqual([
      'default',
      { labelSelector: 'app=web', fieldSelector: 'metadata.name=web' },
    ]);
    await get(`${BASE}/pods`);
    expect(provider.asked.at(-1)).toEqual(['', {}]);
  });

  it('gets one object with its kind and apiVersion', async () => {
    const { body } = await get(`${BASE}/namespaces/default/pods/web`);
    expect(body).toEqual({
      kind: 'PodMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      ...metrics('default', 'web'),
    });
  });

  it('answers a Table with the printer’s columns and metadata rows', async () => {
    const { body } = await get(`${BASE}/namespaces/default/pods`, TABLE);
    expect(body.kind).toBe('Table');
    const columns = body.columnDefinitions as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    const rows = body.rows as { cells: unknown[]; object: { kind: string } }[];
    expect(rows.map((r) => r.cells)).toEqual([
      ['db', '250m', '5Mi', '15s'],
      ['web', '250m', '5Mi', '15s'],
    ]);
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
  });

  it.each<{ what: string; method: string; path: string; code: number; message: string }>([
    {
      what: 'a provider NotFound',
      method: 'GET',
      path: `${BASE}/namespaces/default/pods/nosuch`,
      code: 404,
      message: 'podmetrics.metrics.k8s.io "nosuch" not found',
    },
    {
      what: 'a watch',
      method: 'GET',
      path: `${BASE}/namespaces/default/pods?watch=true`,
      code: 405,
      message: 'watch is not supported on resources of kind "pods.metrics.k8s.io"',
    },
    {
      what: 'a delete',
      method: 'DELETE',
      path: `${BASE}/namespaces/default/pods/web`,
      code: 405,
      message: 'the server does not allow this method on the requested resource',
    },
    {
      what: 'a subresource',
      method: 'GET',
      path: `${BASE}/namespaces/default/pods/web/status`,
      code: 404,
      message: 'the server could not find the requested resource',
    },
  ])('answers $what with a Status', async ({ method, path, code, message }) => {
    const { status, body } = await get(path, 'application/json', method);
    expect([status, body.kind, body.message]).toEqual([code, 'Status', message]);
  });

  it('lists the group in discovery with get and list only', async () => {
    const { body } = await get(BASE);
    expect(body.resources).toEqual([
      {
        name: 'nodes',
        singularName: '',
        namespaced: false,
        kind: 'NodeMetrics',
        verbs: ['get', 'list'],
      },
      {
        name: 'pods',
        singularName: '',
        namespaced: true,
        kind: 'PodMetrics',
        verbs: ['get', 'list'],
      },
    ]);
  });
});
