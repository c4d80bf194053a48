import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMetrics, ScrapeError } from './fetch-target.js';

let server: Server;
let base = '';
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url ?? '') {
      case '/ok':
        res.end('up 1\n');
        return;
      case '/error':
        res.writeHead(500);
        res.end('boom');
        return;
      case '/silent':
        held.push(res);
        return;
      case '/drip':
        res.writeHead(200);
        res.write('up 1\n');
        held.push(res);
        return;
      case '/huge':
        res.writeHead(200);
        for (let i = 0; i < 100; i++) {
          res.write(`${'x'.repeat(1000)} 1\n`);
        }
        res.end();
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held) {
    res.destroy();
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { timeoutMs: 300, maxBytes: 10_000 };
// Cases that must not time out get a deadline a loaded machine cannot miss.
const generous = { timeoutMs: 10_000, maxBytes: 10_000 };

describe('fetchMetrics', () => {
  it('returns the body', async () => {
    expect(await fetchMetrics(`${base}/ok`, generous)).toBe('up 1\n');
  });

  it.each([
    ['/error', generous, 'HTTP_STATUS', 'server returned HTTP status 500 Internal Server Error'],
    ['/silent', limits, 'TIMEOUT', 'context deadline exceeded (timeout 300 ms)'],
    ['/drip', limits, 'TIMEOUT', 'context deadline exceeded'],
    ['/huge', generous, 'TOO_LARGE', 'body size limit exceeded (more than 10000 bytes)'],
  ])('fails %s with %s', async (path, opts, code, message) => {
    const started = Date.now();
    const e = await fetchMetrics(`${base}${path}`, opts).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ScrapeError);
    expect((e as ScrapeError).code).toBe(code);
    expect((e as Error).message).toContain(message);
    // Bounded by the timeout, whatever the target does (the silent one would hold forever).
    expect(Date.now() - started).toBeLessThan(opts.timeoutMs + 5_000);
  });

  it('fails a closed port as a connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await fetchMetrics(`http://127.0.0.1:${port}/metrics`, generous).catch(
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'CONNECT' });
    expect((e as Error).message).toBe(`Get "http://127.0.0.1:${port}/metrics": ECONNREFUSED`);
  });
});
