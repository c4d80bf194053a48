// HTTPS through the ingress: the listener opens once an Ingress has TLS, SNI picks the Secret's
// certificate, unknown names get the default one, and plain HTTP to a TLS host is redirected.
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { Client } from '../../client/client.js';
import { ENDPOINTSLICES, INGRESSES, SECRETS, SERVICES } from '../../client/resources.js';
import { startProxy } from '../index.js';
import type { RunningProxy } from '../index.js';

let client: Client;
let proxy: RunningProxy;
let backend: Server;
const abort = new AbortController();

async function certFor(host: string): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: host }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

beforeAll(async () => {
  ({ client } = createInMemoryApi());
  proxy = await startProxy(
    { client, log: pino({ level: 'silent' }) },
    { ingress: { httpPort: 0, httpsPort: 0 }, services: { enabled: false } },
    abort.signal,
  );
  backend = createServer((req, res) =>
    res.end(`proto ${String(req.headers['x-forwarded-proto'])}`),
  );
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const { cert, key } = await certFor('secure.test');
  await client.create(SECRETS, {
    metadata: { name: 'secure-tls', namespace: 'default' },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(cert).toString('base64'),
      'tls.key': Buffer.from(key).toString('base64'),
    },
  });
  await client.create(SERVICES, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { ports: [{ port: 80 }] },
  });
  await client.create(ENDPOINTSLICES, {
    metadata: {
      name: 'web-1',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'web' },
    },
    addressType: 'IPv4',
    ports: [{ name: '', port: (backend.address() as AddressInfo).port, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  });
  await client.create(INGRESSES, {
    metadata: { name: 'secure', namespace: 'default' },
    spec: {
      tls: [{ hosts: ['secure.test'], secretName: 'secure-tls' }],
      rules: [
        {
          host: 'secure.test',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'web', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  });
});

afterAll(async () => {
  abort.abort();
  await proxy?.done;
  backend.closeAllConnections();
  await new Promise<void>((r) => backend.close(() => r()));
});

function httpsGet(servername: string): Promise<{ subject: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: proxy.ingress?.httpsPort(),
        servername,
        headers: { host: servername },
        rejectUnauthorized: false,
      },
      (res) => {
        const subject = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ subject, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('ingress TLS', () => {
  it('serves the Secret certificate by SNI and a default one for other names', async () => {
    await expect.poll(() => proxy.ingress?.httpsPort(), { timeout: 10_000 }).toBeDefined();
    await expect
      .poll(() => httpsGet('secure.test').catch(() => undefined), { timeout: 10_000 })
      .toEqual({ subject: 'secure.test', body: 'proto https' });
    expect((await httpsGet('other.test')).subject).toBe(
      'Kubernetes Ingress Controller Fake Certificate',
    );
  });

  it('redirects plain HTTP for a TLS host with 308, keeping path and query', async () => {
    const reply = await new Promise<{ status: number; location: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: proxy.ingress?.httpPort,
          path: '/a/b?c=d',
          headers: { host: 'secure.test' },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? '' });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(reply).toEqual({
      status: 308,
      location: `https://secure.test:${proxy.ingress?.httpsPort()}/a/b?c=d`,
    });
  });
});
