// The real kubectl (1.32 through the dispatcher, 1.27 directly) against a stub API server whose
// 'upgrade' event goes to handleStreamingUpgrade; FakeRuntime runs real processes and sockets.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest, notFound } from '../../lib/errors.js';
import { resolveContainer } from './container.js';
import { parseLogOptions, serveLogStream } from './log-stream.js';
import type { LogSource, PodLogOptions } from './log-stream.js';
import { rejectUpgrade } from './status.js';
import type { ExecExit, ExecRequest, ExecSession, PortForwarder, TerminalSize } from './types.js';
import { handleStreamingUpgrade } from './upgrade.js';

const POD: KubeObject = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'p', namespace: 'default', uid: 'uid-1', resourceVersion: '1' },
  spec: { nodeName: 'n', containers: [{ name: 'c', image: 'busybox' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'c', ready: true, started: true, restartCount: 0, image: 'busybox', imageID: '' },
    ],
  },
};
const KUBECTL_DIR = dirname(
  spawnSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], {
    encoding: 'utf8',
  }).stdout.trim(),
);

/** Runs exec/attach as real child processes and dials real TCP ports (the OS boundary). */
class FakeRuntime implements PortForwarder {
  readonly children = new Set<ChildProcess>();
  readonly resizes: TerminalSize[] = [];
  /** pod port -> a port on 127.0.0.1 */
  readonly ports = new Map<number, number>();

  exec = (r: ExecRequest): Promise<ExecSession> => Promise.resolve(this.run(r.command));
  attach = (): Promise<ExecSession> =>
    Promise.resolve(this.run(['sh', '-c', 'echo attached; echo oops >&2']));

  dial(_namespace: string, _pod: string, port: number): Promise<Duplex> {
    const target = this.ports.get(port);
    if (target === undefined) {
      return Promise.reject(new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`));
    }
    return new Promise((resolve, reject) => {
      const socket = connect(target, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  private run(command: string[]): ExecSession {
    const child = spawn(command[0] ?? 'false', command.slice(1), { stdio: 'pipe' });
    this.children.add(child);
    const exit = new Promise<ExecExit>((resolve) => {
      child.once('error', (e) => resolve({ error: e.message }));
      child.once('exit', (code, signal) =>
        resolve(code === null ? { error: `signal: ${signal}` } : { exitCode: code }),
      );
    });
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exit,
      resize: (size) => this.resizes.push(size),
      abort: () => child.kill('SIGKILL'),
    };
  }
}

/** A log the test appends to; with follow, readers wait for more until end(). */
class FakeLog implements LogSource {
  private readonly lines: string[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  readonly seen: PodLogOptions[] = [];
  abortedReads = 0;

  append(line: string): void {
    this.lines.push(line);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  read(opts: PodLogOptions, signal: AbortSignal): AsyncIterable<string> {
    this.seen.push(opts);
    signal.addEventListener('abort', () => {
      this.abortedReads++;
      this.wake?.();
    });
    return this.lines$(opts.follow, signal);
  }
  private async *lines$(follow: boolean, signal: AbortSignal): AsyncGenerator<string> {
    let next = 0;
    for (;;) {
      while (next < this.lines.length) {
        yield this.lines[next++] ?? '';
      }
      if (!follow || this.ended || signal.aborted) {
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

interface StubOptions {
  refuseWebSocket?: boolean;
  routeError?: ApiError;
}

function discovery(req: IncomingMessage, res: ServerResponse, path: string): void {
  const accept = req.headers.accept ?? '';
  const version = accept.includes('v=v2;') ? 'v2' : accept.includes('v=v2beta1') ? 'v2beta1' : '';
  const sub = (subresource: string): object => ({ subresource, verbs: ['create', 'get'] });
  const pods = {
    resource: 'pods',
    responseKind: { group: '', version: 'v1', kind: 'Pod' },
    scope: 'Namespaced',
    singularResource: 'pod',
    verbs: ['get', 'list'],
    subresources: ['exec', 'attach', 'portforward', 'log'].map(sub),
  };
  const items =
    path === '/api'
      ? [{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [pods] }] }]
      : [];
  if (version) {
    const body = {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items,
    };
    const type = `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
    res.writeHead(200, { 'Content-Type': type }).end(JSON.stringify(body));
    return;
  }
  const legacy: Record<string, object> = {
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
    '/api/v1': {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get'] },
      ],
    },
  };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(legacy[path]));
}

function sendError(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', String(e));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .writeHead(err.code, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(err.toStatus()));
}

/** Serves what kubectl reads before streaming, pods/log through serveLogStream, and upgrades. */
async function startStub(runtime: FakeRuntime, opts: StubOptions = {}) {
  let log = new FakeLog();
  const upgrades: string[] = [];
  const shutdown = new AbortController();
  const pods = '/api/v1/namespaces/default/pods/';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/version') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.4', platform: 'linux/amd64' }),
      );
    } else if (['/api', '/apis', '/api/v1'].includes(url.pathname)) {
      discovery(req, res, url.pathname);
    } else if (url.pathname === `${pods}p`) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(POD));
    } else if (url.pathname === `${pods}p/log`) {
      serveLogStream(res, log, parseLogOptions(url.searchParams, 'p', new Date())).catch((e) =>
        sendError(res, e),
      );
    } else {
      sendError(res, notFound({ group: '', resource: 'pods' }, url.pathname.split('/')[6] ?? ''));
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades.push(`${req.method} ${req.headers.upgrade}`);
    if (opts.refuseWebSocket && req.headers.upgrade === 'websocket') {
      rejectUpgrade(socket, badRequest('websockets are refused by this test'));
      return;
    }
    handleStreamingUpgrade(req, socket, head, {
      log: pino({ level: 'silent' }),
      signal: shutdown.signal,
      route: (target) => {
        if (opts.routeError) {
          return Promise.resolve(opts.routeError);
        }
        const container = resolveContainer(POD, target.exec?.container ?? '');
        return Promise.resolve({ container, uid: 'uid-1', ...runtimeParts(runtime) });
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'streaming-kubectl-'));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster: {server: "http://127.0.0.1:${port}"}\ncontexts:\n- name: t\n  context: {cluster: t, namespace: default}\ncurrent-context: t\n`,
  );
  return {
    upgrades,
    /** A fresh log for the next pods/log request. */
    newLog(): FakeLog {
      log = new FakeLog();
      return log;
    },
    env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), HOME: dir },
    async close(): Promise<void> {
      shutdown.abort();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runtimeParts(runtime: FakeRuntime) {
  return { exec: runtime.exec, attach: runtime.attach, portForward: runtime };
}

type Stub = Awaited<ReturnType<typeof startStub>>;

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const started = new Set<ChildProcess>();

function startKubectl(
  stub: Stub,
  args: string[],
  opts: { binary?: string; input?: string } = {},
): Running {
  const bin = opts.binary ? join(KUBECTL_DIR, opts.binary) : 'kubectl';
  const child = spawn(bin, args, { env: stub.env, detached: true, stdio: 'pipe' });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (opts.input !== undefined) {
    child.stdin.end(opts.input);
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function kubectl(stub: Stub, args: string[], opts: { binary?: string; input?: string } = {}) {
  const run = startKubectl(stub, args, opts);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

function killGroup(child: ChildProcess): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ESRCH');
    }
  }
}

const FORWARDING = /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/;

/** Waits for kubectl port-forward to listen and returns its local port. */
async function forwardedPort(run: Running): Promise<number> {
  await expect.poll(() => run.stdout(), { timeout: 10_000 }).toMatch(FORWARDING);
  return Number(FORWARDING.exec(run.stdout())?.[1]);
}

/** Sends one message through a local port and reads the reply until the peer closes. */
function roundTrip(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.once('end', () => resolve(reply));
    socket.once('error', reject);
    socket.write(message);
  });
}

describe('kubectl exec/attach/port-forward/logs against handleStreamingUpgrade', () => {
  const runtime = new FakeRuntime();
  let stub: Stub;
  let echo: TcpServer;

  beforeAll(async () => {
    stub = await startStub(runtime);
    echo = createTcpServer((socket) =>
      socket.once('data', (d) => socket.end(`pong:${d.toString()}`)),
    );
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    runtime.ports.set(8080, (echo.address() as AddressInfo).port);
  });
  afterEach(() => {
    started.forEach(killGroup);
    started.clear();
  });
  afterAll(async () => {
    runtime.children.forEach((c) => c.kill('SIGKILL'));
    await stub.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('1.32 exec over WebSocket v5 prints stdout and stderr and exits with the code', async () => {
    stub.upgrades.length = 0;
    const r = await kubectl(stub, [
      'exec',
      'p',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toContain('err\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
    expect(r.code).toBe(3);
    expect(stub.upgrades).toEqual(['GET websocket']);
  });

  it.each([
    ['1.32 (WebSocket v5)', undefined],
    ['1.27 (SPDY v4)', 'kubectl.1.27'],
  ])('%s exec -i passes piped stdin and ends it', async (_name, binary) => {
    const r = await kubectl(stub, ['exec', '-i', 'p', '--', 'cat'], { binary, input: 'hi\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('1.27 exec over SPDY propagates stderr and the exit code', async () => {
    stub.upgrades.length = 0;
    const r = await kubectl(
      stub,
      ['exec', 'p', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7'],
      {
        binary: 'kubectl.1.27',
      },
    );
    expect(r).toMatchObject({ code: 7, stdout: 'out\n' });
    expect(r.stderr).toContain('err\n');
    expect(stub.upgrades).toEqual(['POST SPDY/3.1']);
  });

  it('1.32 attach streams the attached process output', async () => {
    const r = await kubectl(stub, ['attach', 'p']);
    expect(r).toMatchObject({ code: 0, stdout: 'attached\n' });
    expect(r.stderr).toContain('oops\n');
  });

  it('kills the process when kubectl goes away mid-session', async () => {
    const run = startKubectl(stub, ['exec', 'p', '--', 'sleep', '30']);
    const sleeper = (): ChildProcess | undefined =>
      [...runtime.children].find((c) => c.spawnargs.join(' ') === 'sleep 30');
    await expect.poll(sleeper, { timeout: 10_000 }).toBeDefined();
    killGroup(run.child);
    await expect.poll(() => sleeper()?.signalCode, { timeout: 10_000 }).toBe('SIGKILL');
  });

  it.each([
    ['1.32 (SPDY tunnelled in a WebSocket)', undefined, 'GET websocket'],
    ['1.27 (SPDY)', 'kubectl.1.27', 'POST SPDY/3.1'],
  ])('%s port-forward relays TCP connections to the pod port', async (_n, binary, upgrade) => {
    stub.upgrades.length = 0;
    const run = startKubectl(stub, ['port-forward', 'pod/p', ':8080'], { binary });
    const port = await forwardedPort(run);
    expect(await roundTrip(port, 'ping')).toBe('pong:ping');
    expect(await roundTrip(port, 'again')).toBe('pong:again');
    expect(stub.upgrades).toEqual([upgrade]);
  });

  it('port-forward reports a failed dial on the error stream', async () => {
    const run = startKubectl(stub, ['port-forward', 'pod/p', ':9999']);
    const port = await forwardedPort(run);
    await roundTrip(port, 'ping').catch(() => '');
    await expect
      .poll(() => run.stderr(), { timeout: 10_000 })
      .toContain(
        'error forwarding port 9999 to pod p_default, uid uid-1: dial tcp 127.0.0.1:9999: connect: connection refused',
      );
  });

  it('logs prints the log and passes the options to the source', async () => {
    const log = stub.newLog();
    log.append('one\n');
    log.append('two\n');
    const r = await kubectl(stub, ['logs', 'p', '--tail=5', '--timestamps']);
    expect(r).toMatchObject({ code: 0, stdout: 'one\ntwo\n' });
    expect(log.seen).toMatchObject([
      { container: 'c', tailLines: 5, timestamps: true, follow: false },
    ]);
  });

  it('logs -f streams as lines arrive and exits when the source ends', async () => {
    const log = stub.newLog();
    log.append('first\n');
    const run = startKubectl(stub, ['logs', '-f', 'p']);
    await expect.poll(() => run.stdout(), { timeout: 10_000 }).toBe('first\n');
    log.append('second\n');
    await expect.poll(() => run.stdout(), { timeout: 10_000 }).toBe('first\nsecond\n');
    log.end();
    expect(await run.exited).toBe(0);
  });

  it('logs -f aborts the source when kubectl goes away', async () => {
    const log = stub.newLog();
    log.append('first\n');
    const run = startKubectl(stub, ['logs', '-f', 'p']);
    await expect.poll(() => run.stdout(), { timeout: 10_000 }).toBe('first\n');
    killGroup(run.child);
    await expect.poll(() => log.abortedReads, { timeout: 10_000 }).toBe(1);
  });
});

describe('kubectl against a server that refuses or fails the upgrade', () => {
  const runtime = new FakeRuntime();
  const stubs: Stub[] = [];

  afterEach(() => {
    started.forEach(killGroup);
    started.clear();
  });
  afterAll(async () => {
    runtime.children.forEach((c) => c.kill('SIGKILL'));
    await Promise.all(stubs.map((s) => s.close()));
  });

  it('1.32 falls back to SPDY (v5 spoken as v4) when the WebSocket upgrade is refused', async () => {
    const stub = await startStub(runtime, { refuseWebSocket: true });
    stubs.push(stub);
    const r = await kubectl(stub, ['exec', '-i', 'p', '--', 'sh', '-c', 'cat; exit 4'], {
      input: 'via spdy\n',
    });
    expect(r).toMatchObject({ code: 4, stdout: 'via spdy\n' });
    expect(stub.upgrades).toEqual(['GET websocket', 'POST SPDY/3.1']);
  });

  it.each([
    ['1.32', undefined],
    ['1.27', 'kubectl.1.27'],
  ])('%s prints a route error as a Status and exits 1', async (_n, binary) => {
    const routeError = new ApiError(400, 'BadRequest', 'container c is not running in pod p');
    const stub = await startStub(runtime, { routeError });
    stubs.push(stub);
    const r = await kubectl(stub, ['exec', 'p', '--', 'true'], { binary });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (BadRequest): container c is not running in pod p',
    );
  });

  it('ends running sessions when the server shuts down', async () => {
    const stub = await startStub(runtime);
    const run = startKubectl(stub, ['exec', 'p', '--', 'sleep', '31']);
    const sleeper = (): ChildProcess | undefined =>
      [...runtime.children].find((c) => c.spawnargs.join(' ') === 'sleep 31');
    await expect.poll(sleeper, { timeout: 10_000 }).toBeDefined();
    await stub.close();
    expect(await run.exited).not.toBe(0);
    await expect.poll(() => sleeper()?.signalCode, { timeout: 10_000 }).toBe('SIGKILL');
  });
});
