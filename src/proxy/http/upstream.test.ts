// UpstreamPool on the wire: raw backends answer with exact bytes (HEAD, 1xx, 204/304, chunked,
// close-delimited, malformed), and real node servers check the request framing, early answers,
// backpressure and which connections are used again.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../config.js';
import { EMPTY_BODY, ReplayableBody } from './replayable-body.js';
import type { RequestBody } from './replayable-body.js';
import { idleLimitMs, UpstreamPool } from './upstream.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

async function serve(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

/** A backend writing `answer(method)` for each request head it reads; counts connections. */
async function rawBackend(answer: (method: string) => string, endAfter = false) {
  const stats = { connections: 0 };
  const server = createNetServer((socket) => {
    stats.connections++;
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const method = buffered.slice(0, buffered.indexOf(' '));
        buffered = buffered.slice(end + 4);
        socket.write(answer(method));
        if (endAfter) {
          socket.end();
        }
      }
    });
    socket.on('error', () => {});
  });
  cleanups.push(() => {
    server.close();
  });
  const port = await serve(server);
  return { port, stats, target: { key: `127.0.0.1:${port}`, address: '127.0.0.1', port } };
}

function pool(): UpstreamPool {
  const p = new UpstreamPool(DEFAULT_LIMITS);
  cleanups.push(() => p.destroy());
  return p;
}

interface Result {
  status?: number;
  body: string;
  ended: boolean;
  error?: string;
  hasResponse?: boolean;
}

/** One exchange; resolves when it ended or failed. */
function exchange(
  p: UpstreamPool,
  target: { key: string; address: string; port: number },
  opts: { method?: string; headers?: string[]; body?: RequestBody; sink?: FakeSink } = {},
): Promise<Result> {
  const sink = opts.sink ?? new FakeSink();
  return new Promise((resolve) => {
    const result: Result = { body: '', ended: false };
    p.exchange(
      target,
      {
        method: opts.method ?? 'GET',
        path: '/',
        headers: opts.headers ?? ['Host', 'backend'],
        body: opts.body ?? EMPTY_BODY,
        sink,
      },
      {
        response: (status) => (result.status = status),
        end: () => resolve({ ...result, body: sink.text(), ended: true }),
        error: (err, _isConnected, hasResponse) =>
          resolve({ ...result, body: sink.text(), error: err.code ?? err.message, hasResponse }),
      },
    );
  });
}

/** The client's response as the pool sees it: collects bytes, can push back once. */
class FakeSink extends EventEmitter {
  private readonly chunks: Buffer[] = [];
  constructor(private refusals = 0) {
    super();
  }
  write(chunk: Buffer): boolean {
    this.chunks.push(Buffer.from(chunk));
    if (this.refusals > 0) {
      this.refusals--;
      setTimeout(() => this.emit('drain'), 20);
      return false;
    }
    return true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

describe('UpstreamPool responses', () => {
  it.each([
    [
      'a HEAD answer (no body despite Content-Length)',
      'HEAD',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n',
      200,
      '',
      1,
    ],
    ['204 No Content', 'GET', 'HTTP/1.1 204 No Content\r\n\r\n', 204, '', 1],
    [
      '304 Not Modified',
      'GET',
      'HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n',
      304,
      '',
      1,
    ],
    [
      '103 Early Hints, then the answer',
      'GET',
      'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      200,
      'ok',
      1,
    ],
    [
      'chunked, with an extension and a trailer',
      'GET',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nok\r\n1\r\n!\r\n0\r\nT: v\r\n\r\n',
      200,
      'ok!',
      1,
    ],
    [
      'Connection: close',
      'GET',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
      200,
      'ok',
      2,
    ],
    [
      'HTTP/1.0 without keep-alive',
      'GET',
      'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok',
      200,
      'ok',
      2,
    ],
  ])(
    'reads %s (2 exchanges on %5$i connection(s))',
    async (_what, method, raw, status, body, connections) => {
      const backend = await rawBackend(() => raw);
      const p = pool();
      for (let i = 0; i < 2; i++) {
        expect(await exchange(p, backend.target, { method })).toEqual({
          status,
          body,
          ended: true,
        });
      }
      expect(backend.stats.connections).toBe(connections);
    },
  );

  it('reads a body that the connection’s end delimits, and opens a new connection next', async () => {
    const backend = await rawBackend(() => 'HTTP/1.1 200 OK\r\n\r\nuntil the end', true);
    const p = pool();
    expect(await exchange(p, backend.target)).toEqual({
      status: 200,
      body: 'until the end',
      ended: true,
    });
    expect(await exchange(p, backend.target)).toMatchObject({ body: 'until the end' });
    expect(backend.stats.connections).toBe(2);
  });

  it.each([
    [
      'two Content-Lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
    ],
    [
      'Content-Length with chunked',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'HPE_INVALID_TRANSFER_ENCODING',
    ],
    [
      'a bad chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n',
      'HPE_INVALID_CHUNK_SIZE',
    ],
    ['no status line', 'hello\r\n\r\n', 'HPE_INVALID_CONSTANT'],
  ])('fails on %s and never uses that connection again', async (_what, raw, code) => {
    const backend = await rawBackend(() => raw);
    const p = pool();
    const first = await exchange(p, backend.target);
    expect(first.error).toBe(code);
    await exchange(p, backend.target);
    expect(backend.stats.connections).toBe(2);
  });

  it('closes a connection that sends bytes nobody asked for', async () => {
    const backend = await rawBackend(
      () =>
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra',
    );
    const p = pool();
    expect(await exchange(p, backend.target)).toMatchObject({ status: 200, body: 'ok' });
    expect(await exchange(p, backend.target)).toMatchObject({ status: 200, body: 'ok' });
    expect(backend.stats.connections).toBe(2);
  });

  it('reports a hang-up before any answer as ECONNRESET, on a connected socket', async () => {
    const server = createNetServer((socket) => socket.once('data', () => socket.destroy()));
    const port = await serve(server);
    const result = await exchange(pool(), { key: `127.0.0.1:${port}`, address: '127.0.0.1', port });
    expect(result).toMatchObject({ error: 'ECONNRESET', hasResponse: false });
  });

  it('waits for the client’s drain when its response pushes back', async () => {
    const big = 'x'.repeat(256 * 1024);
    const server = createServer((req, res) => {
      req.resume();
      for (let i = 0; i < 4; i++) {
        res.write(big);
      }
      res.end('!');
    });
    const port = await serve(server);
    const sink = new FakeSink(3);
    const target = { key: `127.0.0.1:${port}`, address: '127.0.0.1', port };
    const result = await exchange(pool(), target, { sink });
    expect(result.ended).toBe(true);
    expect(result.body).toBe(`${big.repeat(4)}!`);
  });
});

describe('UpstreamPool requests', () => {
  it('frames a body of unknown length as chunked and one with a Content-Length as is', async () => {
    const seen: { te?: string; cl?: string; hash: string }[] = [];
    const server = createServer((req, res) => {
      const hash = createHash('sha256');
      req.on('data', (c: Buffer) => hash.update(c));
      req.on('end', () => {
        const te = req.headers['transfer-encoding'];
        const cl = req.headers['content-length'];
        seen.push({ ...(te ? { te } : {}), ...(cl ? { cl } : {}), hash: hash.digest('hex') });
        res.end('ok');
      });
    });
    const port = await serve(server);
    const target = { key: `127.0.0.1:${port}`, address: '127.0.0.1', port };
    const p = pool();
    const parts = ['first,', 'second,', 'third'].map((s) => Buffer.from(s));
    const whole = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    for (const headers of [
      ['Host', 'b'],
      ['Host', 'b', 'Content-Length', '18'],
    ]) {
      const source = new PassThrough();
      const body = new ReplayableBody(source, 1024);
      const done = exchange(p, target, { method: 'POST', headers, body });
      for (const part of parts) {
        source.write(part);
        await new Promise((r) => setTimeout(r, 5));
      }
      source.end();
      expect(await done).toMatchObject({ status: 200, body: 'ok' });
    }
    expect(seen).toEqual([
      { te: 'chunked', hash: whole },
      { cl: '18', hash: whole },
    ]);
  });

  it('passes on an answer that comes before the body, and drops that connection', async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      res.writeHead(413, { Connection: 'keep-alive' }).end('too big');
    });
    server.on('connection', () => connections++);
    const port = await serve(server);
    const target = { key: `127.0.0.1:${port}`, address: '127.0.0.1', port };
    const p = pool();
    const source = new PassThrough();
    const body = new ReplayableBody(source, 1024);
    source.write(Buffer.alloc(100));
    const early = await exchange(p, target, { method: 'POST', headers: ['Host', 'b'], body });
    expect(early).toMatchObject({ status: 413, body: 'too big', ended: true });
    source.end(Buffer.alloc(100));
    expect(await exchange(p, target)).toMatchObject({ status: 413 });
    expect(connections).toBe(2);
  });
});

describe('idleLimitMs', () => {
  it.each([
    [[], 60_000],
    [['Keep-Alive', 'timeout=5'], 4_000],
    [['keep-alive', 'max=100, timeout=30'], 29_000],
    [['Keep-Alive', 'timeout=120'], 60_000],
    [['Keep-Alive', 'max=5'], 60_000],
    [['Keep-Alive', 'timeout=1'], 0],
  ])('for %j is %i ms', (headers, expected) => {
    expect(idleLimitMs(headers, 60_000)).toBe(expected);
  });
});
