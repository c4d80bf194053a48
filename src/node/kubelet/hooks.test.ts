// Lifecycle hooks against a real HTTP server and a stand-in exec: host-port mapping of httpGet,
// the kubelet's rule that any HTTP status is delivered, and upstream's failure messages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../prober/index.js';
import { runHook } from './hooks.js';

const POD = 'web_default(1234)';
let server: Server;
let port = 0;
const seen: { path: string; agent: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', agent: req.headers['user-agent'] ?? '' });
    res.writeHead(req.url === '/broken' ? 500 : 200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function target(over: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    ip: '127.0.0.1',
    resolvePort: (name) => (name === 'http' ? 8080 : undefined),
    // Host network mode: container port 8080 is really served on the server's port.
    mapPort: (p) => (p === 8080 ? port : undefined),
    ...over,
  };
}

describe('runHook httpGet', () => {
  it.each([8080, 'http'])('maps container port %s to its host port', async (p) => {
    const failure = await runHook({ httpGet: { path: '/started', port: p } }, target(), {
      container: 'app',
      pod: POD,
    });
    expect(failure).toBeUndefined();
    expect(seen.at(-1)).toEqual({ path: '/started', agent: 'kube-lifecycle/1.32' });
  });

  it('counts any HTTP status as delivered, as the kubelet does', async () => {
    const hook = { httpGet: { path: '/broken', port: 8080 } };
    expect(await runHook(hook, target(), { container: 'app', pod: POD })).toBeUndefined();
  });

  it.each([
    [
      'nope',
      'HTTP lifecycle hook (/x) for Container "app" in Pod "web_default(1234)" failed - error: strconv.Atoi: parsing "nope": invalid syntax',
    ],
    [
      9,
      'HTTP lifecycle hook (/x) for Container "app" in Pod "web_default(1234)" failed - error: Get "http://127.0.0.1:9/x": dial tcp 127.0.0.1:9: connect: connection refused',
    ],
  ])('fails on port %s with upstream words', async (p, message) => {
    const hook = { httpGet: { path: '/x', port: p } };
    expect(await runHook(hook, target(), { container: 'app', pod: POD })).toBe(message);
  });
});

describe('runHook exec', () => {
  it('fails with the command, the exit code, stderr and the quoted output', async () => {
    const exec: ProbeTarget['exec'] = () =>
      Promise.resolve({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const failure = await runHook({ exec: { command: ['sh', '-c', 'exit 3'] } }, target({ exec }), {
      container: 'app',
      pod: POD,
    });
    expect(failure).toBe(
      'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_default(1234)" failed - error: command \'sh -c exit 3\' exited with 3: err\n, message: "out\\nerr\\n"',
    );
  });

  it('succeeds on exit 0', async () => {
    const exec: ProbeTarget['exec'] = () => Promise.resolve({ exitCode: 0 });
    const hook = { exec: { command: ['true'] } };
    expect(await runHook(hook, target({ exec }), { container: 'a', pod: POD })).toBeUndefined();
  });
});
