// pods/<name>/eviction over HTTP against the real API on a memory store: what is deleted at once,
// what a budget allows or refuses (with upstream's exact Status bodies), and delete options.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtinResources } from '../../apis/builtin.js';
import type { KubeObject } from '../../apis/meta.js';
import { createSchemaRegistry } from '../../apis/schema/index.js';
import type { InProcessClient } from '../../client/in-process.js';
import { PDBS, PODS } from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import { Discovery } from '../discovery.js';
import { createInMemoryApi } from '../in-memory.js';
import { createOpenApi } from '../openapi/index.js';
import { ResourceRegistry } from '../registry.js';
import { ApiHandler } from '../server.js';
import { registerPodSubresources } from './pod-subresources.js';

const NS = 'default';
let server: Server;
let base = '';
let client: InProcessClient;
let seq = 0;

beforeAll(async () => {
  const api = createInMemoryApi();
  client = api.client;
  const registry = new ResourceRegistry(builtinResources());
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
  registerPodSubresources(handler);
  server = createServer(handler.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let app = '';
beforeEach(() => {
  app = `app${++seq}`;
});

interface PodOpts {
  phase?: string;
  ready?: boolean;
  labels?: Record<string, string>;
}

async function addPod(name: string, opts: PodOpts = {}): Promise<KubeObject> {
  const pod = await client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: opts.labels ?? { app } },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'img' }] },
  });
  return client.updateStatus(PODS, {
    ...pod,
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  });
}

async function addPdb(
  name: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): Promise<KubeObject> {
  const pdb = await client.create(PDBS, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NS },
    spec: { minAvailable: 1, selector: { matchLabels: { app } }, ...spec },
  });
  return client.updateStatus(PDBS, {
    ...pdb,
    status: {
      observedGeneration: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 2,
      ...status,
    },
  });
}

async function evict(
  name: string,
  body: Record<string, unknown> = {},
  query = '',
): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const res = await fetch(`${base}/api/v1/namespaces/${NS}/pods/${name}/eviction${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name, namespace: NS, creationTimestamp: null },
      deleteOptions: {},
      ...body,
    }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    retryAfter: res.headers.get('retry-after'),
  };
}

const EVICTED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

async function podState(name: string): Promise<'gone' | 'deleting' | 'running'> {
  try {
    const pod = await client.get(PODS, NS, name);
    return pod.metadata.deletionTimestamp ? 'deleting' : 'running';
  } catch (err) {
    if (isNotFound(err)) {
      return 'gone';
    }
    throw err;
  }
}

async function budget(name: string) {
  return (await client.get(PDBS, NS, name)).status as {
    disruptionsAllowed: number;
    disruptedPods?: Record<string, string>;
    conditions?: { type: string; status: string; reason: string }[];
  };
}

describe('pods/eviction', () => {
  it('deletes a pod no budget covers gracefully and marks it DisruptionTarget', async () => {
    await addPod('free');
    const res = await evict('free');
    expect(res).toEqual({ status: 201, body: EVICTED, retryAfter: null });
    const pod = await client.get(PODS, NS, 'free');
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((pod.status as { conditions: object[] }).conditions).toContainEqual({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: expect.any(String),
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
  });

  it('takes a disruption from the budget and records the pod in disruptedPods', async () => {
    await addPod('a');
    await addPdb('one-left', { disruptionsAllowed: 1 });
    expect((await evict('a')).status).toBe(201);
    expect(await podState('a')).toBe('deleting');
    const status = await budget('one-left');
    expect(status.disruptionsAllowed).toBe(0);
    expect(Object.keys(status.disruptedPods ?? {})).toEqual(['a']);
    expect(status.conditions).toEqual([
      expect.objectContaining({
        type: 'DisruptionAllowed',
        status: 'False',
        reason: 'InsufficientPods',
      }),
    ]);
  });

  it('answers 429 without Retry-After when the budget allows no disruption', async () => {
    await addPod('b');
    await addPdb('web-pdb', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    const res = await evict('b');
    expect(res).toEqual({
      status: 429,
      retryAfter: null,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently',
            },
          ],
        },
        code: 429,
      },
    });
    expect(await podState('b')).toBe('running');
  });

  it('answers 429 while the controller has not seen the newest spec', async () => {
    await addPod('c');
    await addPdb('stale', { disruptionsAllowed: 3, observedGeneration: 0 });
    const res = await evict('c');
    expect(res.status).toBe(429);
    expect(res.body.details).toEqual({
      retryAfterSeconds: 10,
      causes: [
        {
          reason: 'DisruptionBudget',
          message: 'The disruption budget stale is still being processed by the server.',
        },
      ],
    });
    expect(await podState('c')).toBe('running');
  });

  it('refuses a pod two budgets cover', async () => {
    await addPod('d');
    await addPdb('first', { disruptionsAllowed: 1 });
    await addPdb('second', { disruptionsAllowed: 1 });
    const res = await evict('d');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    expect(await podState('d')).toBe('running');
    expect((await budget('first')).disruptionsAllowed).toBe(1);
  });

  it.each([
    ['Pending', 'Pending', true],
    ['Succeeded', 'Succeeded', true],
    ['Failed', 'Failed', true],
  ])('deletes a %s pod whatever the budget says', async (_name, phase, ready) => {
    await addPod(app, { phase, ready });
    await addPdb(app, { disruptionsAllowed: 0 });
    expect((await evict(app)).status).toBe(201);
    expect(await podState(app)).not.toBe('running');
  });

  it.each([
    ['the budget has its healthy pods', {}, { currentHealthy: 2, desiredHealthy: 1 }, 201],
    ['the budget is short of healthy pods', {}, { currentHealthy: 1, desiredHealthy: 2 }, 429],
    [
      'AlwaysAllow says so',
      { unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      { currentHealthy: 1, desiredHealthy: 2 },
      201,
    ],
  ])('evicts an unready pod without a disruption when %s', async (_n, spec, counts, code) => {
    await addPod(app, { ready: false });
    await addPdb(app, { disruptionsAllowed: 0, ...counts }, spec);
    expect((await evict(app)).status).toBe(code);
    expect((await budget(app)).disruptionsAllowed).toBe(0);
    expect(await podState(app)).toBe(code === 201 ? 'deleting' : 'running');
  });

  it.each([
    ['the query', {}, '?dryRun=All'],
    ['the deleteOptions', { deleteOptions: { dryRun: ['All'] } }, ''],
  ])('changes nothing under dry run from %s', async (_n, body, query) => {
    await addPod(app);
    await addPdb(app, { disruptionsAllowed: 1 });
    expect((await evict(app, body, query)).status).toBe(201);
    expect(await podState(app)).toBe('running');
    expect((await budget(app)).disruptionsAllowed).toBe(1);
  });

  it('honours gracePeriodSeconds and accepts a policy/v1beta1 body', async () => {
    await addPod('now');
    const res = await evict('now', {
      apiVersion: 'policy/v1beta1',
      deleteOptions: { gracePeriodSeconds: 0 },
    });
    expect(res.status).toBe(201);
    expect(await podState('now')).toBe('gone');
  });

  it('honours a uid precondition', async () => {
    await addPod('pre');
    const res = await evict('pre', { deleteOptions: { preconditions: { uid: 'nope' } } });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(
      /^Operation cannot be fulfilled on Pod "pre": the UID in the precondition \(nope\) does not match the UID in record \(.+\)\. The object might have been deleted and then recreated$/,
    );
    expect(await podState('pre')).toBe('running');
  });

  it('honours a resourceVersion precondition, and a current one lets the eviction through', async () => {
    const pod = await addPod(app);
    const stale = await evict(app, { deleteOptions: { preconditions: { resourceVersion: '1' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      `Operation cannot be fulfilled on Pod "${app}": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${pod.metadata.resourceVersion ?? ''}). The object might have been modified`,
    );
    const current = { resourceVersion: pod.metadata.resourceVersion };
    expect((await evict(app, { deleteOptions: { preconditions: current } })).status).toBe(201);
    expect(await podState(app)).toBe('deleting');
  });

  it.each([
    {
      what: 'a missing pod',
      name: 'nope',
      body: {},
      query: '',
      code: 404,
      message: 'pods "nope" not found',
    },
    {
      what: 'a name mismatch',
      name: 'x1',
      body: { metadata: { name: 'other' } },
      query: '',
      code: 400,
      message: 'name in URL does not match name in Eviction object',
    },
    {
      what: 'another API version',
      name: 'x2',
      body: { apiVersion: 'v1' },
      query: '',
      code: 400,
      message:
        'the API version in the data (v1) does not match the expected API version (policy/v1)',
    },
    {
      what: 'dry runs that disagree',
      name: 'x3',
      body: { deleteOptions: { dryRun: ['All'] } },
      query: '?dryRun=All&dryRun=All',
      code: 500,
      message: 'Non-matching dry-run options in request and content: [All All] and [All]',
    },
  ])('rejects $what', async ({ name, body, query, code, message }) => {
    if (name !== 'nope') {
      await addPod(name);
    }
    const res = await evict(name, body, query);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: code, message });
  });
});
