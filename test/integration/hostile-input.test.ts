// Hostile request bodies and queries over raw HTTP: each must be refused with a Kubernetes Status
// (never a stack trace), quickly, with nothing written and the server still answering.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeproc } from './harness.js';
import type { Kubeproc } from './harness.js';
import { apiRequest } from './processes.js';
import type { HttpResult, RequestOptions } from './processes.js';

let kp: Kubeproc;
const NS = 'hostile';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOYS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const JSON_TYPE = { 'Content-Type': 'application/json' };
/** Names of objects that rejected requests tried to create; none may exist afterwards. */
const attempted = new Set<string>();

beforeAll(async () => {
  kp = await startKubeproc();
  const res = await apiRequest(kp.url, '/api/v1/namespaces', {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await kp?.stop();
});

const configMap = (name: string, extra: Record<string, unknown> = {}): string => {
  attempted.add(name);
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });
};

interface Expected {
  code: number;
  reason: string;
  /** The answer must come faster than this. */
  maxMs?: number;
}

/** Sends the request and checks the answer is a well-formed Status with this code and reason. */
async function refused(
  path: string,
  opts: RequestOptions,
  { code, reason, maxMs = 5_000 }: Expected,
): Promise<HttpResult & { message: string }> {
  const res = await apiRequest(kp.url, path, { timeoutMs: 30_000, ...opts });
  expect(res.status, res.text.slice(0, 500)).toBe(code);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.text).not.toMatch(/\n\s+at .+:\d+:\d+|node:internal|\/dist\/|\/src\//);
  const status = JSON.parse(res.text) as Record<string, unknown>;
  expect(status).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason,
  });
  expect(typeof status.message).toBe('string');
  expect(status.message).not.toBe('');
  expect(res.ms, `answered in ${res.ms} ms`).toBeLessThan(maxMs);
  await alive(opts.agent);
  return { ...res, message: status.message as string };
}

/** The server still lists promptly (on the same keep-alive connection when agent is given). */
async function alive(agent?: Agent): Promise<void> {
  const res = await apiRequest(kp.url, CMS, {
    timeoutMs: 5_000,
    ...(agent ? { agent } : {}),
  }).catch((e: Error) => {
    throw new Error(
      `the server did not answer the next request${agent ? ' on the same keep-alive connection' : ''}: ${e.message}`,
    );
  });
  expect(res.status).toBe(200);
}

describe('request size and nesting', () => {
  it('refuses a body over 3 MiB with 413 RequestEntityTooLarge (declared length)', async () => {
    const body = configMap('big-declared', { data: { a: 'x'.repeat(3.5 * 1024 * 1024) } });
    const res = await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 413, reason: 'RequestEntityTooLarge' },
    );
    expect(res.message).toBe('Request entity too large: limit is 3145728');
  });

  it('refuses a chunked body over 3 MiB with 413 too', async () => {
    const body = configMap('big-chunked', { data: { a: 'x'.repeat(4 * 1024 * 1024) } });
    // One socket: the follow-up request must work on the connection the oversized body used.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const headers = { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' };
      await refused(
        CMS,
        { method: 'POST', headers, body, chunked: true, agent },
        { code: 413, reason: 'RequestEntityTooLarge' },
      );
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ['arrays', (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`],
    ['objects', (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`],
  ])('refuses JSON nested 100,000 levels deep (%s) with 400', async (_kind, nest) => {
    attempted.add('deep');
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${nest(100_000)}}`;
    await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 400, reason: 'BadRequest' },
    );
  });

  it('refuses YAML nested 100,000 levels deep in a server-side apply with 400', async () => {
    attempted.add('deep-yaml');
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-yaml\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    await refused(
      `${CMS}/deep-yaml?fieldManager=test`,
      { method: 'PATCH', headers, body },
      { code: 400, reason: 'BadRequest' },
    );
  });

  it('refuses a billion-laughs YAML bomb in a server-side apply with 400, fast', async () => {
    attempted.add('bomb');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${levels.join('\n  ')}\n`;
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    await refused(
      `${CMS}/bomb?fieldManager=test`,
      { method: 'PATCH', headers, body },
      { code: 400, reason: 'BadRequest', maxMs: 2_000 },
    );
  });
});

describe('huge string values', () => {
  it('refuses ConfigMap data over 1 MiB as Invalid', async () => {
    const body = configMap('big-data', { data: { a: 'x'.repeat(1536 * 1024) } });
    const res = await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 422, reason: 'Invalid' },
    );
    expect(res.message).toMatch(
      /^ConfigMap "big-data" is invalid: .*Too long: may not be more than 1048576 bytes/,
    );
  });

  it('refuses annotations over 256 KiB as Invalid', async () => {
    const body = configMap('big-annotation', {
      metadata: { name: 'big-annotation', annotations: { a: 'x'.repeat(300 * 1024) } },
    });
    const res = await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 422, reason: 'Invalid' },
    );
    expect(res.message).toBe(
      'ConfigMap "big-annotation" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
    );
  });

  it.each<[string, string, Record<string, unknown>]>([
    [
      'a 2 MiB label value',
      'huge-value',
      { name: 'huge-value', labels: { app: 'v'.repeat(2 * 1024 * 1024) } },
    ],
    [
      'a 2 MiB label key',
      'huge-key',
      { name: 'huge-key', labels: { [`${'k'.repeat(2 * 1024 * 1024)}`]: 'v' } },
    ],
    ['a 1 MiB generateName', 'ggg', { generateName: 'g'.repeat(1024 * 1024) }],
  ])('refuses %s as Invalid within 5 s', async (_what, name, metadata) => {
    const body = configMap(name, { metadata });
    await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 422, reason: 'Invalid' },
    );
  });
});

describe('undecodable bodies', () => {
  it('refuses a string where Deployment.spec.replicas is an int32, in Kubernetes words', async () => {
    attempted.add('typed');
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'typed' },
      spec: {
        replicas: '3',
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    });
    const res = await refused(
      DEPLOYS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 400, reason: 'BadRequest' },
    );
    expect(res.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('refuses a number where metadata.name is a string', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 7 } });
    const res = await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 400, reason: 'BadRequest' },
    );
    expect(res.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string',
    );
  });

  it.each([
    ['truncated JSON', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"trunc"'],
    ['a trailing comma', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"comma"},}'],
    ['bare words', 'hello world'],
    ['an empty body', ''],
  ])('refuses malformed JSON (%s) with 400', async (_what, body) => {
    attempted.add('trunc').add('comma');
    await refused(
      CMS,
      { method: 'POST', headers: JSON_TYPE, body },
      { code: 400, reason: 'BadRequest' },
    );
  });

  it('refuses random bytes sent as protobuf with 400', async () => {
    let seed = 42;
    const bytes = Buffer.alloc(4096, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0xff));
    const headers = { 'Content-Type': 'application/vnd.kubernetes.protobuf' };
    await refused(
      CMS,
      { method: 'POST', headers, body: Buffer.from(bytes) },
      { code: 400, reason: 'BadRequest' },
    );
    const withMagic = Buffer.concat([Buffer.from('k8s\0'), Buffer.from(bytes)]);
    await refused(
      CMS,
      { method: 'POST', headers, body: withMagic },
      { code: 400, reason: 'BadRequest' },
    );
  });

  it.each([
    ['POST', CMS, 'text/plain'],
    ['POST', CMS, 'application/xml'],
    ['PUT', `${CMS}/x`, 'image/png'],
    ['PATCH', `${CMS}/x`, 'application/x-www-form-urlencoded'],
  ])('refuses %s with an unknown content type (%s %s) with 415', async (method, path, type) => {
    attempted.add('ct');
    await refused(
      path,
      { method, headers: { 'Content-Type': type }, body: configMap('ct') },
      { code: 415, reason: 'UnsupportedMediaType' },
    );
  });
});

describe('selectors', () => {
  it.each([
    ['labelSelector', 'app in (a', /./],
    ['labelSelector', 'a b', /./],
    ['labelSelector', '!!', /./],
    ['labelSelector', `app=${'v'.repeat(64)}`, /must be no more than 63 characters/],
    [
      'fieldSelector',
      'metadata.name',
      /^invalid selector: 'metadata.name'; can't understand 'metadata.name'$/,
    ],
    ['fieldSelector', 'spec.nope=x', /^field label not supported: spec\.nope$/],
  ])('refuses an invalid %s %j on a list with 400', async (param, value, message) => {
    const res = await refused(
      `${CMS}?${param}=${encodeURIComponent(value)}`,
      {},
      { code: 400, reason: 'BadRequest' },
    );
    expect(res.message).toMatch(message);
  });

  it.each([
    ['labelSelector', 'app in (a'],
    ['fieldSelector', 'spec.nope=x'],
  ])('refuses an invalid %s %j on a watch with 400 before streaming', async (param, value) => {
    await refused(
      `${CMS}?watch=true&${param}=${encodeURIComponent(value)}`,
      { timeoutMs: 5_000 },
      { code: 400, reason: 'BadRequest' },
    );
  });

  it('refuses a watch from resourceVersion "abc" with a Status before streaming', async () => {
    // Upstream's versioner reports this as a 4xx Status (Invalid from the storage layer).
    const res = await apiRequest(kp.url, `${CMS}?watch=true&resourceVersion=abc`, {
      timeoutMs: 5_000,
    });
    expect([400, 422]).toContain(res.status);
    expect(JSON.parse(res.text)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: res.status,
    });
    await alive();
  });
});

describe('after all of it', () => {
  it('wrote nothing for any rejected request', async () => {
    const names = async (path: string): Promise<string[]> => {
      const res = await apiRequest(kp.url, path);
      expect(res.status).toBe(200);
      return (JSON.parse(res.text) as { items: { metadata: { name: string } }[] }).items.map(
        (i) => i.metadata.name,
      );
    };
    const present = [...(await names(CMS)), ...(await names(DEPLOYS))];
    expect(attempted.size).toBeGreaterThan(10);
    expect(present.filter((n) => attempted.has(n) || n.startsWith('ggg'))).toEqual([]);
  });
});
