// The forwarder against real loopback servers: retries, body replay, timeouts, streaming and
// keep-alive, observed from a real client.
import { createHash } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PassiveHealth } from '../backends/health.js';
import { BackendPicker } from '../backends/picker.js';
import type { Backend } from '../backends/types.js';
import { DEFAULT_LIMITS } from '../config.js';
import type { ProxyLimits } from '../config.js';
import { TrafficStats } from '../stats/proxy-stats.js';
import type { ClientExchange } from './client-exchange.js';
import { HttpForwarder } from './forwarder.js';
import { Http1Server } from './http1-server.js';
import { UpstreamPool } from './upstream.js';
import { clientIpOf, upstreamHeaders } from './headers.js';
import { ReplayableBody } from './replayable-body.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

async function listen(handler: RequestListener): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return server;
}

/** The ingress' own HTTP/1.x server in front, as IngressServer runs it. */
async function listenFront(request: (ex: ClientExchange) => void): Promise<NetServer> {
  const http1 = new Http1Server({ keepAliveMs: 75_000, headersTimeoutMs: 60_000, request });
  const server = createNetServer({ allowHalfOpen: true }, (socket) => http1.connection(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        http1.closeAll();
        server.close(() => r());
      }),
  );
  return server;
}

const portOf = (s: Server | NetServer) => (s.address() as AddressInfo).port;

function backend(port: number, pod: string): Backend {
  return {
    key: `127.0.0.1:${port}`,
    address: '127.0.0.1',
    port,
    pod: `default/${pod}`,
    ready: true,
    serving: true,
    terminating: false,
  };
}

/** A port nothing listens on: connecting is refused. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = portOf(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function proxyTo(backends: Backend[], limits: Partial<ProxyLimits> = {}) {
  const stats = new TrafficStats();
  // Ejections outlast any test, so counts do not depend on how fast the machine is.
  const health = new PassiveHealth(60_000, 60_000);
  const all = { ...DEFAULT_LIMITS, upstreamIdleMs: 30_000, ...limits };
  const upstreams = new UpstreamPool(all);
  cleanups.push(() => upstreams.destroy());
  const forwarder = new HttpForwarder({ health, stats, upstreams, limits: all });
  const picker = new BackendPicker(health);
  const front = await listenFront((ex) => {
    const { headers } = upstreamHeaders(ex.rawHeaders, {
      clientIp: clientIpOf(ex.socket.remoteAddress),
      proto: 'http',
      port: ex.socket.localPort ?? 0,
    });
    const scope = { namespace: 'default', service: 'web' };
    void forwarder.forward(ex, headers, { scope, picker, backends: () => backends });
  });
  const agent = new Agent({ keepAlive: true });
  cleanups.push(() => agent.destroy());
  return { stats, port: portOf(front), agent };
}

interface Reply {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

function send(
  port: number,
  opts: { method?: string; path?: string; body?: Buffer; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        agent: opts.agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const hello =
  (name: string): RequestListener =>
  (req, res) => {
    req.resume();
    res.end(`hello from ${name}`);
  };

describe('HttpForwarder', () => {
  it('retries a refused backend on the next one and ejects it', async () => {
    const live = await listen(hello('b'));
    const { stats, port, agent } = await proxyTo([
      backend(await deadPort(), 'a'),
      backend(portOf(live), 'b'),
    ]);
    for (let i = 0; i < 10; i++) {
      expect(await send(port, { agent })).toMatchObject({ status: 200, body: 'hello from b' });
    }
    expect(stats.service('default', 'web')).toMatchObject({ requests: 10, retries: 1 });
    expect(stats.pods('default', 'web').get('a')).toMatchObject({ failures: 1, inFlight: 0 });
    expect(stats.pods('default', 'web').get('b')).toMatchObject({ requests: 10, inFlight: 0 });
  });

  it('replays a POST body on the next backend when connecting failed', async () => {
    const echo = await listen((req, res) => {
      const hash = createHash('sha256');
      req.on('data', (c: Buffer) => hash.update(c));
      req.on('end', () => res.end(hash.digest('hex')));
    });
    const { port } = await proxyTo([backend(await deadPort(), 'a'), backend(portOf(echo), 'b')]);
    const body = Buffer.alloc(300_000, 7);
    const reply = await send(port, { method: 'POST', body });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it.each([
    ['GET', 200, 2],
    ['POST', 502, 1],
  ])(
    'a %s whose connection is reset after it was sent gets %i (attempts: %i)',
    async (method, status, attempts) => {
      let resets = 0;
      const resetter = await listen((req) => {
        resets++;
        req.socket.destroy();
      });
      const live = await listen(hello('b'));
      const { port } = await proxyTo([backend(portOf(resetter), 'a'), backend(portOf(live), 'b')]);
      const reply = await send(port, { method });
      expect(reply.status).toBe(status);
      expect(resets).toBe(1);
      if (status === 502) {
        expect(reply.body).toBe(
          `upstream failed (ECONNRESET) after ${attempts} attempt(s) for service default/web\n`,
        );
      }
    },
  );

  it('answers 503 in one line when the Service has no ready endpoint', async () => {
    const { port, stats } = await proxyTo([]);
    const reply = await send(port);
    expect(reply).toMatchObject({
      status: 503,
      body: 'no ready endpoints for service default/web\n',
    });
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(stats.service('default', 'web')?.responses['5xx']).toBe(1);
  });

  it('answers 504 when a backend does not answer within the read timeout', async () => {
    const hang = await listen(() => {});
    const { port } = await proxyTo([backend(portOf(hang), 'a')], { readTimeoutMs: 200 });
    const reply = await send(port);
    expect(reply.status).toBe(504);
    expect(reply.body).toContain('upstream timed out');
  });

  it('keeps the read timeout on a pooled connection whose idle timeout a Keep-Alive hint cut', async () => {
    let connections = 0;
    let calls = 0;
    const slow = await listen((req, res) => {
      req.resume();
      // The second request answers after the hinted idle timeout (2 s - 1 s) has passed.
      setTimeout(() => res.end('late'), calls++ === 0 ? 0 : 1_500);
    });
    slow.keepAliveTimeout = 2_000; // Node answers with `Keep-Alive: timeout=2`
    slow.on('connection', () => connections++);
    // Read and idle timeouts equal (the defaults): Node would not re-arm a reused socket.
    const { port, agent } = await proxyTo([backend(portOf(slow), 'a')], {
      readTimeoutMs: 60_000,
      upstreamIdleMs: 60_000,
    });
    expect((await send(port, { agent })).status).toBe(200);
    expect(await send(port, { agent })).toMatchObject({ status: 200, body: 'late' });
    expect(connections).toBe(1);
  });

  it('streams responses, passes forwarding headers and reuses backend connections', async () => {
    let connections = 0;
    let seen: IncomingMessage['headers'] = {};
    let release: () => void = () => {};
    const streamer = await listen((req, res) => {
      seen = req.headers;
      if (req.url === '/stream') {
        res.write('first;');
        release = () => res.end('second');
        return;
      }
      res.end('ok');
    });
    streamer.on('connection', () => connections++);
    const { port, agent } = await proxyTo([backend(portOf(streamer), 'a')]);
    for (let i = 0; i < 20; i++) {
      expect((await send(port, { agent })).body).toBe('ok');
    }
    expect(connections).toBe(1);
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-real-ip']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
    expect(seen['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const first = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/stream' }, (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (c: string) => {
          body += c;
          if (body === 'first;') {
            resolve(body); // arrived while the backend still holds the response open
            release();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(first).toBe('first;');
  });
});

describe('HttpForwarder when a side goes away mid-response', () => {
  it('cuts the client response when the backend dies mid-body', async () => {
    const dying = await listen((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { port, stats } = await proxyTo([backend(portOf(dying), 'a')]);
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve('complete'));
        res.on('error', () => resolve('cut'));
        res.on('aborted', () => resolve('cut'));
      });
      req.on('error', () => resolve('cut'));
      req.end();
    });
    expect(outcome).toBe('cut');
    await expect.poll(() => stats.service('default', 'web')?.inFlight).toBe(0);
  });

  it('closes the backend request when the client goes away', async () => {
    let backendClosed = false;
    const slow = await listen((req, res) => {
      res.writeHead(200);
      res.write('start');
      res.on('close', () => (backendClosed = true));
    });
    const { port, stats } = await proxyTo([backend(portOf(slow), 'a')]);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    await expect.poll(() => backendClosed).toBe(true);
    await expect.poll(() => stats.pods('default', 'web').get('a')?.inFlight).toBe(0);
  });
});

describe('ReplayableBody', () => {
  function collect(sink: PassThrough): Promise<string> {
    return new Promise((resolve) => {
      let out = '';
      sink.setEncoding('utf8');
      sink.on('data', (c: string) => (out += c));
      sink.on('end', () => resolve(out));
    });
  }

  it('sends kept chunks again to a new sink, then the live rest', async () => {
    const source = new PassThrough();
    const body = new ReplayableBody(source, 100);
    const first = new PassThrough();
    const firstText = collect(first);
    body.attach(first);
    source.write('abc');
    await new Promise((r) => setImmediate(r));
    body.detach();
    first.end();
    expect(await firstText).toBe('abc');
    const second = new PassThrough();
    const secondText = collect(second);
    body.attach(second);
    source.end('def');
    expect(await secondText).toBe('abcdef');
    expect(body.isReplayable).toBe(true);
  });

  it('stops being replayable once the body outgrows the limit', async () => {
    const source = new PassThrough();
    const body = new ReplayableBody(source, 4);
    const sink = new PassThrough();
    const text = collect(sink);
    body.attach(sink);
    source.write('abc');
    source.end('defgh');
    expect(await text).toBe('abcdefgh');
    expect(body.isReplayable).toBe(false);
  });
});
