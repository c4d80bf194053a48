// The ingress' HTTP/1.x server on a real loopback socket, driven with raw bytes: framing,
// keep-alive, pipelining, bodies, bad input and timeouts, as a client sees them on the wire.
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientExchange } from './client-exchange.js';
import { Http1Server } from './http1-server.js';
import type { Http1ServerOptions } from './http1-server.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

type Handler = (ex: ClientExchange) => void;

async function serve(
  request: Handler,
  options: Partial<Http1ServerOptions> = {},
): Promise<{ port: number; http1: Http1Server }> {
  const http1 = new Http1Server({
    keepAliveMs: 30_000,
    headersTimeoutMs: 30_000,
    request,
    ...options,
  });
  const server: Server = createServer({ allowHalfOpen: true }, (s) => http1.connection(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        http1.closeAll();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, http1 };
}

/** A raw client: what it wrote, everything it read, and whether the server closed. */
async function open(port: number): Promise<{
  socket: Socket;
  text: () => string;
  closed: () => boolean;
}> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let received = '';
  let isClosed = false;
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (isClosed = true));
  cleanups.push(() => void socket.destroy());
  return { socket, text: () => received, closed: () => isClosed };
}

const answer =
  (body: string, extra: string[] = []): Handler =>
  (ex) => {
    ex.writeHead(200, 'OK', ['Content-Length', String(body.length), ...extra]);
    ex.write(Buffer.from(body));
    ex.end();
  };

const count = (text: string, what: string) => text.split(what).length - 1;

describe('Http1Server', () => {
  it('answers keep-alive requests on one connection with Date and Keep-Alive', async () => {
    const { port } = await serve(answer('hi'));
    const c = await open(port);
    c.socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => count(c.text(), '\r\n\r\nhi')).toBe(1);
    c.socket.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => count(c.text(), '\r\n\r\nhi')).toBe(2);
    expect(c.text()).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: 2\r\nDate: .+ GMT\r\n/);
    expect(c.text()).toContain('Connection: keep-alive\r\nKeep-Alive: timeout=30\r\n\r\nhi');
    expect(c.closed()).toBe(false);
  });

  it('answers pipelined requests in order, the later ones waiting', async () => {
    const seen: string[] = [];
    const { port } = await serve((ex) => {
      seen.push(ex.url);
      // The first answer comes last: the second must still wait for it.
      const delay = ex.url === '/1' ? 50 : 0;
      setTimeout(() => answer(ex.url)(ex), delay);
    });
    const c = await open(port);
    c.socket.write(
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await expect.poll(() => c.closed()).toBe(true);
    const bodies = c.text().match(/\r\n\r\n\/\d/g);
    expect(bodies).toEqual(['\r\n\r\n/1', '\r\n\r\n/2', '\r\n\r\n/3']);
    expect(seen).toEqual(['/1', '/2', '/3']);
    expect(c.text()).toMatch(/Connection: close\r\n\r\n\/3$/);
  });

  it('chunks a body of unknown length for HTTP/1.1 and closes after it for HTTP/1.0', async () => {
    const { port } = await serve((ex) => {
      ex.writeHead(200, 'OK', ['Content-Type', 'text/plain']);
      ex.write(Buffer.from('abc'));
      ex.write(Buffer.from('de'));
      ex.end();
    });
    const c11 = await open(port);
    c11.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => c11.text()).toContain('0\r\n\r\n');
    expect(c11.text()).toContain('Transfer-Encoding: chunked\r\n');
    expect(c11.text()).toMatch(/\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n$/);
    const c10 = await open(port);
    c10.socket.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await expect.poll(() => c10.closed()).toBe(true);
    expect(c10.text()).toMatch(/Connection: close\r\n\r\nabcde$/);
    expect(c10.text()).not.toContain('chunked');
  });

  it('writes large bodies whole, chunked or by length', async () => {
    const big = Buffer.alloc(40_000, 'x');
    const { port } = await serve((ex) => {
      ex.writeHead(200, 'OK', ex.url === '/length' ? ['Content-Length', String(big.length)] : []);
      ex.write(big);
      ex.write(Buffer.from('end'));
      ex.end();
    });
    const chunked = await open(port);
    chunked.socket.write('GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => chunked.text()).toMatch(/\r\n0\r\n\r\n$/);
    expect(chunked.text()).toContain(`\r\n\r\n9c40\r\n${'x'.repeat(40_000)}\r\n3\r\nend\r\n`);
    const length = await open(port);
    length.socket.write('GET /length HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => length.text()).toMatch(/xend$/);
    expect(length.text()).toContain(`\r\n\r\n${'x'.repeat(40_000)}end`);
  });

  it('keeps an HTTP/1.0 keep-alive connection open when the length is known', async () => {
    const { port } = await serve(answer('ok'));
    const c = await open(port);
    c.socket.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await expect.poll(() => c.text()).toContain('\r\n\r\nok');
    expect(c.text()).toContain('Connection: keep-alive\r\n');
    c.socket.write('GET / HTTP/1.0\r\n\r\n');
    await expect.poll(() => c.closed()).toBe(true);
    expect(count(c.text(), '\r\n\r\nok')).toBe(2);
    expect(c.text()).toMatch(/Connection: close\r\n\r\nok$/);
  });

  it('sends no body framing for HEAD, 204 and 304', async () => {
    const { port } = await serve((ex) => {
      ex.writeHead(ex.url === '/204' ? 204 : 200, 'X', []);
      ex.end();
    });
    const c = await open(port);
    c.socket.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => count(c.text(), 'HTTP/1.1 ')).toBe(2);
    expect(c.text()).not.toContain('chunked');
    expect(c.text()).toMatch(
      /^HTTP\/1\.1 200 X\r\n[^]*timeout=30\r\n\r\nHTTP\/1\.1 204 X\r\n[^]*timeout=30\r\n\r\n$/,
    );
  });

  it('streams a chunked request body to the handler, 100-continue first', async () => {
    const { port } = await serve((ex) => {
      const parts: string[] = [];
      ex.body.on('data', (chunk: Buffer) => parts.push(chunk.toString()));
      ex.body.once('end', () => answer(`got ${parts.join('')} ${String(ex.hasBody)}`)(ex));
    });
    const c = await open(port);
    c.socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    await expect.poll(() => c.text()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    c.socket.write('3\r\nabc\r\n');
    c.socket.write('2\r\nde\r\n0\r\n\r\n');
    await expect.poll(() => c.text()).toContain('got abcde true');
  });

  it('reads and drops the rest of a body answered early, then serves the next request', async () => {
    const { port } = await serve((ex) => answer(ex.method)(ex));
    const c = await open(port);
    c.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcde');
    await expect.poll(() => c.text()).toContain('\r\n\r\nPOST');
    c.socket.write('fghijGET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => c.text()).toContain('\r\n\r\nGET');
  });

  it.each([
    ['garbage', 'NOT HTTP\r\n\r\n', '400 Bad Request'],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n', '400 Bad Request'],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\nX-A: 1\r\n\r\n', '400 Bad Request'],
    ['a bare LF in a value', 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n', '400 Bad Request'],
    [
      'Content-Length with chunked',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
      '400 Bad Request',
    ],
    [
      'a 20 KiB head',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      '431 Request Header Fields Too Large',
    ],
  ])('answers %s with a status and closes', async (_what, bytes, status) => {
    const seen: string[] = [];
    const { port } = await serve((ex) => seen.push(ex.url));
    const c = await open(port);
    c.socket.write(bytes);
    await expect.poll(() => c.closed()).toBe(true);
    expect(c.text()).toBe(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    expect(seen).toEqual([]);
  });

  it('gives up a request whose chunked body breaks, answering 400', async () => {
    let outcome: boolean | undefined;
    const { port } = await serve((ex) => {
      ex.onClose((isComplete) => (outcome = isComplete));
      ex.body.on('data', () => {});
    });
    const c = await open(port);
    c.socket.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    c.socket.write('2;a\nb\r\nab\r\n0\r\n\r\n');
    await expect.poll(() => c.closed()).toBe(true);
    expect(c.text()).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    expect(outcome).toBe(false);
  });

  it('answers the good requests before a bad one, then rejects it', async () => {
    const { port } = await serve(answer('ok'));
    const c = await open(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\n');
    await expect.poll(() => c.closed()).toBe(true);
    expect(c.text()).toMatch(/\r\n\r\nokHTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/);
  });

  it('tells the handler when the client goes away before the answer', async () => {
    let outcome: boolean | undefined;
    const { port } = await serve((ex) => ex.onClose((isComplete) => (outcome = isComplete)));
    const c = await open(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => outcome !== undefined || c.closed()).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    c.socket.end();
    await expect.poll(() => outcome).toBe(false);
  });

  it('hands an upgrade over with the bytes after its head, after earlier answers', async () => {
    let upgraded: { url: string; rest: string; socket: Socket } | undefined;
    const { port, http1 } = await serve(answer('first'), {
      upgrade: (head, socket, rest) => {
        upgraded = { url: head.url, rest: rest.toString(), socket };
        cleanups.push(() => void socket.destroy());
        socket.on('data', (d: Buffer) => socket.write(`echo ${d.toString()}`));
        socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
        socket.resume();
      },
    });
    const c = await open(port);
    c.socket.write(
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\nhello',
    );
    await expect.poll(() => upgraded?.url).toBe('/ws');
    expect(upgraded?.rest).toBe('hello');
    c.socket.write('more');
    await expect.poll(() => c.text()).toMatch(/first.*101 Switching Protocols\r\n\r\necho more$/s);
    expect(http1.size).toBe(0);
  });

  it('closes idle connections after the keep-alive time, and slow heads with 408', async () => {
    const { port } = await serve(answer('ok'), { keepAliveMs: 150, headersTimeoutMs: 150 });
    const idle = await open(port);
    idle.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => idle.text()).toContain('\r\n\r\nok');
    const slow = await open(port);
    slow.socket.write('GET / HTTP/1.1\r\nHo');
    await expect.poll(() => idle.closed() && slow.closed(), { timeout: 5000 }).toBe(true);
    expect(slow.text()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  });

  it('closes every connection on closeAll and takes no more', async () => {
    const { port, http1 } = await serve(() => {});
    const c = await open(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => http1.size).toBe(1);
    http1.closeAll();
    await expect.poll(() => c.closed()).toBe(true);
    const late = await open(port);
    await expect.poll(() => late.closed()).toBe(true);
  });
});
