// startProxy against the real in-memory API, with Services and EndpointSlices written by hand
// that point at loopback test servers: the ingress (classes, routing, status, 404/503, endpoint
// changes, WebSocket) observed with real clients.
import { execFile } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createInMemoryApi } from '../api/in-memory.js';
import type { KubeObject } from '../apis/meta.js';
import type { Client } from '../client/client.js';
import { ENDPOINTSLICES, INGRESSCLASSES, INGRESSES, SERVICES } from '../client/resources.js';
import { startProxy } from './index.js';
import type { RunningProxy } from './index.js';

const WAIT = { timeout: 10_000, interval: 10 };
const servers: Server[] = [];
let client: Client;
let proxy: RunningProxy;
const abort = new AbortController();
// A ClusterIP range of our own, so a kubeproc running on this machine does not collide.
const net = `127.96.${200 + Math.floor(Math.random() * 50)}`;

async function listen(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Answers with the method, the HTTP version and the body's size: what arrived, as sent. */
const echo: RequestListener = (req, res) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => res.end(`${req.method ?? ''} ${req.httpVersion} ${bytes}`));
};

/** Runs a real client (curl, ab); its stdout. */
function run(cmd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${err.message} ${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

const named =
  (name: string): RequestListener =>
  (req, res) => {
    req.resume();
    res.end(`${name} ${req.url ?? ''}`);
  };

async function service(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
  return client.create(SERVICES, { metadata: { name, namespace: 'default' }, spec });
}

async function slice(svc: string, endpoints: [number, string, boolean][], portName = 'http') {
  // One slice per endpoint: in host mode every pod listens on its own port.
  for (const [port, pod, ready] of endpoints) {
    const name = `${svc}-${pod}`;
    const body = {
      metadata: {
        name,
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': svc },
      },
      addressType: 'IPv4',
      ports: [{ name: portName, port, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['127.0.0.1'],
          conditions: { ready, serving: ready, terminating: false },
          targetRef: { kind: 'Pod', namespace: 'default', name: pod },
        },
      ],
    };
    const old = await client.get(ENDPOINTSLICES, 'default', name).catch(() => undefined);
    await (old
      ? client.update(ENDPOINTSLICES, { ...body, metadata: { ...old.metadata } })
      : client.create(ENDPOINTSLICES, body));
  }
}

async function ingress(name: string, spec: Record<string, unknown>): Promise<void> {
  await client.create(INGRESSES, { metadata: { name, namespace: 'default' }, spec });
}

const backend = (svc: string, port: number | string) => ({
  service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } },
});

function get(
  path: string,
  host = 'example.com',
): Promise<{ status: number; body: string; location?: string }> {
  const port = proxy.ingress?.httpPort ?? 0;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          ...(res.headers.location ? { location: res.headers.location } : {}),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  ({ client } = createInMemoryApi());
  proxy = await startProxy(
    { client, log: pino({ level: 'silent' }) },
    { ingress: { httpPort: 0, httpsPort: 0 }, services: { enabled: false } },
    abort.signal,
  );
  const [a, b, api, echoPort] = await Promise.all([
    listen(named('a')),
    listen(named('b')),
    listen(named('api')),
    listen(echo),
  ]);
  await service('web', { clusterIP: `${net}.10`, ports: [{ name: 'http', port: 80 }] });
  await service('api', { clusterIP: `${net}.11`, ports: [{ name: 'grpc', port: 9000 }] });
  await service('empty', { clusterIP: `${net}.12`, ports: [{ name: 'http', port: 80 }] });
  await slice('web', [
    [a, 'web-a', true],
    [b, 'web-b', true],
  ]);
  await slice('api', [[api, 'api-x', true]], 'grpc');
  await service('echo', { clusterIP: `${net}.60`, ports: [{ name: 'http', port: 80 }] });
  await slice('echo', [[echoPort, 'echo-x', true]]);
  await ingress('main', {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: backend('web', 80) },
            { path: '/api', pathType: 'Prefix', backend: backend('api', 'grpc') },
            { path: '/empty', pathType: 'Exact', backend: backend('empty', 80) },
            { path: '/echo', pathType: 'Exact', backend: backend('echo', 80) },
            { path: '/missing', pathType: 'Exact', backend: backend('nope', 80) },
          ],
        },
      },
    ],
  });
  await ingress('other-class', {
    ingressClassName: 'traefik',
    rules: [
      {
        host: 'traefik.test',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web', 80) }] },
      },
    ],
  });
});

afterAll(async () => {
  abort.abort();
  await proxy?.done;
  await Promise.all(
    servers.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))),
  );
});

describe('the ingress', () => {
  it('creates the kubeproc IngressClass as the default class', async () => {
    const ic = await client.get(INGRESSCLASSES, '', 'kubeproc');
    expect(ic.spec).toEqual({ controller: 'kubeproc.io/ingress-controller' });
    expect(ic.metadata.annotations).toEqual({
      'ingressclass.kubernetes.io/is-default-class': 'true',
    });
  });

  it('routes by host and path to Service ports by number or name, round-robin', async () => {
    await expect.poll(async () => (await get('/x')).status, WAIT).toBe(200);
    const bodies = await Promise.all([1, 2, 3, 4].map(() => get('/hello')));
    expect(bodies.map((r) => r.body).sort()).toEqual([
      'a /hello',
      'a /hello',
      'b /hello',
      'b /hello',
    ]);
    expect((await get('/api/v1?q=1')).body).toBe('api /api/v1?q=1');
  });

  it('speaks HTTP/1.x with real clients: curl 1.0 and 1.1, chunked uploads, ab keep-alive', async () => {
    await expect.poll(async () => (await get('/echo')).status, WAIT).toBe(200);
    const port = String(proxy.ingress?.httpPort ?? 0);
    const url = `http://127.0.0.1:${port}`;
    const host = ['-H', 'Host: example.com'];
    expect(await run('curl', ['-sS', '--http1.0', ...host, `${url}/x`])).toMatch(/^[ab] \/x$/);
    // A chunked upload that waits for 100 Continue: it reaches the backend whole.
    const upload = Buffer.alloc(300_000, 'u');
    const uploadArgs = ['-sS', ...host, '-H', 'Transfer-Encoding: chunked'];
    uploadArgs.push('-H', 'Expect: 100-continue', '--data-binary', '@-', `${url}/echo`);
    expect(await run('curl', uploadArgs, upload)).toBe('POST 1.1 300000');
    // Three requests, one connection.
    const quiet = ['-o', '/dev/null', '-o', '/dev/null', '-o', '/dev/null'];
    const connects = await run('curl', [
      '-sS',
      ...quiet,
      '-w',
      '%{num_connects} ',
      ...host,
      `${url}/1`,
      `${url}/2`,
      `${url}/3`,
    ]);
    expect(
      connects
        .trim()
        .split(' ')
        .map(Number)
        .reduce((x, y) => x + y),
    ).toBe(1);
    // Through the ingress as an HTTP proxy (absolute-form requests): the URI's host routes.
    expect(await run('curl', ['-sS', '-x', url, 'http://example.com/via-proxy'])).toMatch(
      /^[ab] \/via-proxy$/,
    );
    // ab speaks HTTP/1.0 with Connection: keep-alive.
    const ab = await run('ab', ['-q', '-k', '-n', '300', '-c', '5', ...host, `${url}/x`]);
    expect(ab).toMatch(/Complete requests:\s+300\n/);
    expect(ab).toMatch(/Failed requests:\s+0\n/);
    expect(ab).toMatch(/Keep-Alive requests:\s+300\n/);
  });

  it('answers 404 without a rule and 503 without endpoints, in one line', async () => {
    expect(await get('/', 'traefik.test')).toEqual({
      status: 404,
      body: 'default backend - 404\n',
    });
    expect(await get('/', 'unknown.test')).toEqual({
      status: 404,
      body: 'default backend - 404\n',
    });
    expect(await get('/empty')).toEqual({
      status: 503,
      body: 'no ready endpoints for service default/empty\n',
    });
    expect(await get('/missing')).toEqual({
      status: 503,
      body: 'service default/nope not found\n',
    });
  });

  it('writes status.loadBalancer with the address and the non-standard port', async () => {
    const port = proxy.ingress?.httpPort;
    await expect
      .poll(async () => (await client.get(INGRESSES, 'default', 'main')).status, WAIT)
      .toEqual({
        loadBalancer: { ingress: [{ ip: '127.0.0.1', ports: [{ port, protocol: 'TCP' }] }] },
      });
    expect((await client.get(INGRESSES, 'default', 'other-class')).status ?? {}).toEqual({});
  });

  it('serves classes whose IngressClass names our controller, and clears status it stops serving', async () => {
    await client.create(INGRESSCLASSES, {
      metadata: { name: 'mine' },
      spec: { controller: 'kubeproc.io/ingress-controller' },
    });
    await ingress('switch', {
      ingressClassName: 'mine',
      rules: [
        {
          host: 'switch.test',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web', 80) }] },
        },
      ],
    });
    const lb = async () =>
      (
        (await client.get(INGRESSES, 'default', 'switch')).status as {
          loadBalancer?: { ingress?: unknown[] };
        }
      )?.loadBalancer?.ingress ?? [];
    await expect.poll(lb, WAIT).toHaveLength(1);
    expect((await get('/x', 'switch.test')).status).toBe(200);
    await client.patch(INGRESSES, 'default', 'switch', 'merge', {
      spec: { ingressClassName: 'traefik' },
    });
    await expect.poll(lb, WAIT).toHaveLength(0);
    expect((await get('/x', 'switch.test')).status).toBe(404);
  });

  it('follows endpoint readiness within milliseconds', async () => {
    const [a, b] = await Promise.all([listen(named('c')), listen(named('d'))]);
    await service('flip', { clusterIP: `${net}.50`, ports: [{ name: 'http', port: 80 }] });
    await slice('flip', [
      [a, 'flip-c', true],
      [b, 'flip-d', true],
    ]);
    await ingress('flip', {
      rules: [
        {
          host: 'flip.test',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('flip', 80) }] },
        },
      ],
    });
    await expect.poll(async () => (await get('/', 'flip.test')).status, WAIT).toBe(200);
    await slice('flip', [[a, 'flip-c', false]]);
    const t0 = Date.now();
    await expect
      .poll(
        async () =>
          (await Promise.all([1, 2, 3, 4].map(() => get('/', 'flip.test')))).map((r) => r.body),
        {
          timeout: 2000,
          interval: 1,
        },
      )
      .toEqual(['d /', 'd /', 'd /', 'd /']);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('upgrades WebSocket connections', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws, req) => {
      ws.on('message', (m: Buffer) =>
        ws.send(`echo ${m.toString()} via ${String(req.headers['x-forwarded-proto'])}`),
      );
    });
    await service('ws', { clusterIP: `${net}.14`, ports: [{ name: 'ws', port: 80 }] });
    await slice('ws', [[(wss.address() as AddressInfo).port, 'ws-0', true]], 'ws');
    await ingress('ws', {
      rules: [
        {
          host: 'ws.test',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('ws', 80) }] },
        },
      ],
    });
    await expect.poll(async () => (await get('/', 'ws.test')).status, WAIT).toBe(426);
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.ingress?.httpPort}/chat`, {
      headers: { host: 'ws.test' },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hi'));
      ws.on('message', (m: Buffer) => resolve(m.toString()));
      ws.on('error', reject);
    });
    expect(reply).toBe('echo hi via http');
    ws.close();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('metrics', () => {
  it('counts the traffic per Service and pod', () => {
    const web = proxy.stats.service('default', 'web');
    expect(web?.requests).toBeGreaterThan(4);
    expect(web?.responses['2xx']).toBe(web?.requests);
    expect([...proxy.stats.pods('default', 'web').keys()].sort()).toEqual(['web-a', 'web-b']);
    expect(proxy.metrics()).toMatch(
      /kubeproc_proxy_requests_total\{namespace="default",service="empty",pod="",code="5xx"\} 1/,
    );
  });
});
