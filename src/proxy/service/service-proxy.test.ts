// The Service TCP proxy against the real in-memory API, with EndpointSlices written by hand that
// point at loopback test servers: ClusterIP and node port listeners, per-connection balancing,
// ClientIP affinity, a refused connection without endpoints, and a connect retry.
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { Client } from '../../client/client.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resources.js';
import { startProxy } from '../index.js';
import type { RunningProxy } from '../index.js';

const WAIT = { timeout: 10_000, interval: 10 };
const servers: Server[] = [];
let client: Client;
let proxy: RunningProxy;
const abort = new AbortController();
// A ClusterIP range of our own, so a kubeproc running on this machine does not collide.
const net = `127.96.${150 + Math.floor(Math.random() * 50)}`;

async function listen(name: string): Promise<number> {
  const handler: RequestListener = (req, res) => {
    req.resume();
    res.end(`${name} ${req.url ?? ''}`);
  };
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function service(name: string, spec: Record<string, unknown>): Promise<void> {
  await client.create(SERVICES, { metadata: { name, namespace: 'default' }, spec });
}

async function slices(svc: string, endpoints: [number, string][]): Promise<void> {
  for (const [port, pod] of endpoints) {
    await client.create(ENDPOINTSLICES, {
      metadata: {
        name: `${svc}-${pod}`,
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': svc },
      },
      addressType: 'IPv4',
      ports: [{ name: 'http', port, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['127.0.0.1'],
          conditions: { ready: true },
          targetRef: { kind: 'Pod', namespace: 'default', name: pod },
        },
      ],
    });
  }
}

/** One HTTP/1.1 request on a fresh TCP connection; resolves with the body. */
function tcpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () =>
      socket.write(`GET /tcp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('end', () => resolve(data.slice(data.indexOf('\r\n\r\n') + 4)));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  ({ client } = createInMemoryApi());
  proxy = await startProxy(
    { client, log: pino({ level: 'silent' }) },
    { ingress: { enabled: false } },
    abort.signal,
  );
  await service('web', { clusterIP: `${net}.10`, ports: [{ name: 'http', port: 80 }] });
  await service('empty', { clusterIP: `${net}.12`, ports: [{ name: 'http', port: 80 }] });
  await slices('web', [
    [await listen('a'), 'web-a'],
    [await listen('b'), 'web-b'],
  ]);
});

afterAll(async () => {
  abort.abort();
  await proxy?.done;
  await Promise.all(
    servers.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))),
  );
});

describe('the Service proxy', () => {
  it('forwards ClusterIP connections round-robin to ready endpoints', async () => {
    await expect.poll(() => tcpGet(`${net}.10`, 80).catch(() => ''), WAIT).toMatch(/^[ab] \/tcp$/);
    const bodies = await Promise.all([1, 2, 3, 4].map(() => tcpGet(`${net}.10`, 80)));
    expect(new Set(bodies)).toEqual(new Set(['a /tcp', 'b /tcp']));
    const pods = proxy.stats.pods('default', 'web');
    expect((pods.get('web-a')?.connections ?? 0) + (pods.get('web-b')?.connections ?? 0)).toBe(
      proxy.stats.service('default', 'web')?.connections,
    );
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP, and serves node ports', async () => {
    const nodePort = 30000 + Math.floor(Math.random() * 2700);
    await service('sticky', {
      type: 'NodePort',
      clusterIP: `${net}.15`,
      sessionAffinity: 'ClientIP',
      ports: [{ name: 'http', port: 80, nodePort }],
    });
    await slices('sticky', [
      [await listen('c'), 'sticky-c'],
      [await listen('d'), 'sticky-d'],
    ]);
    await expect.poll(() => tcpGet(`${net}.15`, 80).catch(() => ''), WAIT).toMatch(/\/tcp$/);
    const bodies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => tcpGet(`${net}.15`, 80)));
    expect(new Set(bodies).size).toBe(1);
    expect(await tcpGet('127.0.0.1', nodePort)).toBe(bodies[0]);
  });

  it('retries the connect on another endpoint when one refuses', async () => {
    await service('half', { clusterIP: `${net}.16`, ports: [{ name: 'http', port: 80 }] });
    await slices('half', [
      [await deadPort(), 'half-dead'],
      [await listen('e'), 'half-e'],
    ]);
    await expect.poll(() => tcpGet(`${net}.16`, 80).catch(() => ''), WAIT).toBe('e /tcp');
    for (let i = 0; i < 4; i++) {
      expect(await tcpGet(`${net}.16`, 80)).toBe('e /tcp');
    }
    expect(proxy.stats.pods('default', 'half').get('half-dead')?.failures).toBeGreaterThan(0);
  });

  it('refuses connections to a Service without endpoints', async () => {
    await expect
      .poll(() => tcpGet(`${net}.12`, 80).catch((e: Error) => e.message), WAIT)
      .toMatch(/ECONNRESET|ECONNREFUSED/);
  });
});
