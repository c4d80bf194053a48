// Test plumbing beyond harness.ts: kubeproc on a data dir we choose (restarts, TLS), raw HTTP(S)
// requests, watch streams read event by event, and long-running kubectl children (`get -w`).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { Agent as HttpAgent, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, eventually, kubectlVersionsDir } from './harness.js';
import type { Kubeproc } from './harness.js';

/** A fresh directory under the system temp dir; the caller removes it. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Launched {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL to the whole process group, as a crash or OOM kill would. */
  kill9(): Promise<void>;
  /** SIGTERM (SIGKILL after 10 s) to the process group; resolves once it exited. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  dataDir: string;
  kubeconfig: string;
  home: string;
  args?: string[];
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone between the check and the kill.
    }
  }
}

async function endGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `kubeproc up` on the given data dir (kept across restarts) on a free port. */
export async function launchKubeproc(opts: LaunchOptions): Promise<Launched> {
  const args = [
    'up',
    '--data-dir',
    opts.dataDir,
    '--api-port',
    '0',
    '--kubeconfig',
    opts.kubeconfig,
    // Tests written for host network mode stay in it unless they choose.
    ...(opts.args?.includes('--network') ? [] : ['--network', 'host']),
  ];
  const child = spawn(process.execPath, [BIN, ...args, ...(opts.args ?? [])], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: opts.home },
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`kubeproc did not start in 20s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /API listening on (\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubeproc exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    kill9: () => endGroup(child, 'SIGKILL'),
    stop: () => endGroup(child, 'SIGTERM'),
  };
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM CA for https URLs. */
  ca?: string;
  token?: string;
  agent?: HttpAgent;
  timeoutMs?: number;
  /** Send the body chunked, without Content-Length. */
  chunked?: boolean;
}

/** One HTTP(S) request to the API; rejects on a network error or after timeoutMs. */
export function apiRequest(
  base: string,
  path: string,
  opts: RequestOptions = {},
): Promise<HttpResult> {
  const url = new URL(path, base);
  const started = Date.now();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) {
    headers.Authorization = `Bearer ${opts.token}`;
  }
  if (opts.body !== undefined && !opts.chunked) {
    headers['Content-Length'] = String(Buffer.byteLength(opts.body));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpResult>((resolveResult, reject) => {
    const req = send(
      url,
      {
        method: opts.method ?? 'GET',
        headers,
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.agent ? { agent: opts.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveResult({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () =>
      req.destroy(new Error(`${path}: no answer in time`)),
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata: { name?: string; uid?: string; resourceVersion?: string };
    data?: Record<string, string>;
  };
}

export interface WatchStream {
  status: number;
  events: WatchEvent[];
  /** True once the server ended the stream. */
  ended(): boolean;
  waitFor(what: string, pred: (events: WatchEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens a watch (`?watch=true...`) and collects its newline-delimited events. */
export function openWatch(
  base: string,
  path: string,
  opts: RequestOptions = {},
): Promise<WatchStream> {
  const url = new URL(path, base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WatchStream>((resolveStream, reject) => {
    const events: WatchEvent[] = [];
    let done = false;
    let pending = '';
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) {
      headers.Authorization = `Bearer ${opts.token}`;
    }
    const req = send(url, { headers, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines.filter((l) => l.trim() !== '')) {
          events.push(JSON.parse(line) as WatchEvent);
        }
      });
      const end = (): void => {
        done = true;
      };
      res.on('end', end);
      res.on('close', end);
      resolveStream({
        status: res.statusCode ?? 0,
        events,
        ended: () => done,
        waitFor: (what, pred, timeoutMs) => eventually(what, () => pred(events), timeoutMs),
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => {
      done = true;
      reject(e);
    });
    req.end();
  });
}

export interface KubectlChild {
  /** Complete stdout lines printed so far. */
  lines(): string[];
  stderr(): string;
  exitCode(): number | null;
  exited: Promise<number>;
  waitForLine(what: string, pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/** Runs kubectl (or kubectl.1.xx beside it) against kp as a child that keeps running. */
export function kubectlChild(kp: Kubeproc, args: string[], binary?: string): KubectlChild {
  const bin = binary ? join(kubectlVersionsDir(), binary) : 'kubectl';
  const child = spawn(bin, [`--cache-dir=${join(kp.dir, 'cache')}`, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  const lines = (): string[] => out.split('\n').slice(0, -1);
  return {
    lines,
    stderr: () => err,
    exitCode: () => child.exitCode,
    exited,
    async waitForLine(what, pred, timeoutMs = 20_000) {
      let found: string | undefined;
      try {
        await eventually(what, () => (found = lines().find(pred)) !== undefined, timeoutMs);
      } catch (e) {
        throw new Error(`${(e as Error).message}; kubectl printed:\n${out}${err}`, { cause: e });
      }
      return found ?? '';
    },
    kill: () => endGroup(child, 'SIGTERM'),
  };
}

/** kubectl against the kubeproc whose home is dir, returning stdout; throws with stderr on failure. */
export function kubectlIn(
  dir: string,
  kubeconfig: string,
): (args: string[], input?: string) => string {
  return (args, input = '') => {
    const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
      encoding: 'utf8',
      input,
      env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
      timeout: 60_000,
    });
    if (r.status !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  };
}
