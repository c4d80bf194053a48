// httpGet probes against real HTTP(S) servers on 127.0.0.1: status codes, redirects, timeouts,
// body limits, headers and the Go-worded failure messages.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../apis/core/v1/types.js';
import { ensureServingCerts } from '../../lib/tls.js';
import { runProbe } from './prober.js';
import type { ProbeTarget } from './types.js';

let server: http.Server;
let port = 0;
let lastHeaders: http.IncomingHttpHeaders = {};

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, first, arg] = url.pathname.split('/');
  lastHeaders = req.headers;
  switch (first ?? '') {
    case 'status':
      res.writeHead(Number(arg)).end(`body of ${arg}`);
      return;
    case 'chain': {
      const left = Number(arg);
      if (left > 0) {
        res.writeHead(302, { Location: `/chain/${left - 1}` }).end();
      } else {
        res.end('end of chain');
      }
      return;
    }
    case 'redirect':
      res.writeHead(Number(arg), { Location: url.searchParams.get('to') ?? '' }).end('moved');
      return;
    case 'big':
      res.end('x'.repeat(20 * 1024));
      return;
    case 'slow':
      return; // never answers
    case 'slowbody':
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
      return;
    case 'hangup':
      req.socket.destroy();
      return;
    default:
      res.end('ok');
  }
}

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const target = (): ProbeTarget => ({
  ip: '127.0.0.1',
  resolvePort: (name) => (name === 'web' ? port : undefined),
});

function httpProbe(path: string, extra: Partial<NonNullable<Probe['httpGet']>> = {}): Probe {
  return { httpGet: { path, port, scheme: 'HTTP', ...extra }, timeoutSeconds: 1 };
}

describe('httpGet probe: status codes', () => {
  it.each([
    [200, 'success', 'body of 200'],
    [204, 'success', ''],
    [299, 'success', 'body of 299'],
    [399, 'success', 'Probe terminated redirects, Response body: body of 399'],
    [400, 'failure', 'HTTP probe failed with statuscode: 400'],
    [404, 'failure', 'HTTP probe failed with statuscode: 404'],
    [500, 'failure', 'HTTP probe failed with statuscode: 500'],
    [503, 'failure', 'HTTP probe failed with statuscode: 503'],
  ])('%i gives %s', async (code, result, message) => {
    const out = await runProbe(httpProbe(`/status/${code}`), target());
    expect(out).toMatchObject({ result, message });
  });

  it('resolves a named container port and a number written as a string', async () => {
    expect(await runProbe(httpProbe('/', { port: 'web' }), target())).toMatchObject({
      result: 'success',
      message: 'ok',
    });
    expect(await runProbe(httpProbe('/', { port: String(port) }), target())).toMatchObject({
      result: 'success',
    });
  });

  it.each([
    ['metrics', 'strconv.Atoi: parsing "metrics": invalid syntax'],
    [0, 'invalid port number: 0'],
    ['70000', 'invalid port number: 70000'],
  ])('errors on port %s', async (p, message) => {
    const out = await runProbe(httpProbe('/', { port: p }), target());
    expect(out).toEqual({ result: 'unknown', isError: true, message });
  });
});

describe('httpGet probe: redirects', () => {
  it('follows redirects to the same host', async () => {
    expect(await runProbe(httpProbe('/chain/9'), target())).toMatchObject({
      result: 'success',
      message: 'end of chain',
    });
  });

  it('stops after 10 redirects, failing with the last Location', async () => {
    expect(await runProbe(httpProbe('/chain/10'), target())).toEqual({
      result: 'failure',
      message: 'Get "/chain/0": stopped after 10 redirects',
    });
  });

  it('keeps a redirect to another host as a warning success', async () => {
    const to = encodeURIComponent(`http://localhost:${port}/status/500`);
    const out = await runProbe(httpProbe(`/redirect/302?to=${to}`), target());
    expect(out).toEqual({
      result: 'success',
      isWarning: true,
      message: 'Probe terminated redirects, Response body: moved',
    });
  });

  it('follows a redirect to a failing page on the same host', async () => {
    const out = await runProbe(httpProbe('/redirect/307?to=/status/500'), target());
    expect(out).toMatchObject({
      result: 'failure',
      message: 'HTTP probe failed with statuscode: 500',
    });
  });

  it('treats a redirect without Location as a warning success', async () => {
    const out = await runProbe(httpProbe('/redirect/301'), target());
    expect(out).toMatchObject({ result: 'success', isWarning: true });
  });
});

describe('httpGet probe: connection failures and limits', () => {
  it('words a refused connection as Go does', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const out = await runProbe(httpProbe('/healthz', { port: free }), target());
    expect(out).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${free}/healthz": dial tcp 127.0.0.1:${free}: connect: connection refused`,
    });
  });

  it('times out awaiting headers after timeoutSeconds', async () => {
    const started = Date.now();
    const out = await runProbe(httpProbe('/slow'), target());
    expect(out).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('errors when the deadline hits while reading the body', async () => {
    const out = await runProbe(httpProbe('/slowbody'), target());
    expect(out).toEqual({
      result: 'failure',
      isError: true,
      message:
        'context deadline exceeded (Client.Timeout or context cancellation while reading body)',
    });
  });

  it('fails with EOF when the server hangs up without answering', async () => {
    const out = await runProbe(httpProbe('/hangup'), target());
    expect(out).toEqual({
      result: 'failure',
      message: `Get "http://127.0.0.1:${port}/hangup": EOF`,
    });
  });

  it('reads at most 10 KiB of the body', async () => {
    const out = await runProbe(httpProbe('/big'), target());
    expect(out.result).toBe('success');
    expect(out.message).toBe('x'.repeat(10 * 1024));
  });

  it('ends early, as an error, when the signal aborts', async () => {
    const ctl = new AbortController();
    const pending = runProbe(httpProbe('/slow'), target(), { signal: ctl.signal });
    ctl.abort();
    expect(await pending).toMatchObject({ message: expect.stringContaining('context canceled') });
  });
});

describe('httpGet probe: request', () => {
  it('sends kube-probe User-Agent and Accept */* by default', async () => {
    await runProbe(httpProbe('/'), target());
    expect(lastHeaders['user-agent']).toBe('kube-probe/1.32');
    expect(lastHeaders.accept).toBe('*/*');
    expect(lastHeaders.host).toBe(`127.0.0.1:${port}`);
  });

  it('sends the probe headers, overriding defaults, and drops an empty Accept', async () => {
    const headers = [
      { name: 'user-agent', value: 'mine' },
      { name: 'Accept', value: '' },
      { name: 'X-Custom', value: 'a' },
      { name: 'x-custom', value: 'b' },
      { name: 'Host', value: 'example.test' },
    ];
    await runProbe(httpProbe('/', { httpHeaders: headers }), target());
    expect(lastHeaders['user-agent']).toBe('mine');
    expect(lastHeaders.accept).toBeUndefined();
    expect(lastHeaders['x-custom']).toBe('a, b');
    expect(lastHeaders.host).toBe('example.test');
  });

  it('uses httpGet.host over the target IP', async () => {
    const out = await runProbe(httpProbe('/', { host: 'localhost' }), { ip: '192.0.2.1' });
    expect(out).toMatchObject({ result: 'success', message: 'ok' });
  });
});

describe('httpGet probe: HTTPS', () => {
  it('skips certificate verification like the kubelet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproc-prober-'));
    const certs = await ensureServingCerts(dir, ['127.0.0.1']);
    const secure = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (_req, res) => {
      res.end('secure');
    });
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    try {
      const securePort = (secure.address() as AddressInfo).port;
      const probe = httpProbe('/', { port: securePort, scheme: 'HTTPS' });
      expect(await runProbe(probe, target())).toMatchObject({
        result: 'success',
        message: 'secure',
      });
    } finally {
      secure.closeAllConnections();
      await new Promise((resolve) => secure.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails an HTTPS probe of a plain HTTP server', async () => {
    const out = await runProbe(httpProbe('/', { scheme: 'HTTPS' }), target());
    expect(out).toEqual({
      result: 'failure',
      message: `Get "https://127.0.0.1:${port}/": http: server gave HTTP response to HTTPS client`,
    });
  });
});
