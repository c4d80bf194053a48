// A steady-rate HTTP client for the proxy acceptance tests (keep-alive, one request every
// 1/rate s whatever the latency), and kubectl run without blocking the event loop, so the
// client keeps its pace while the test drives the cluster.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { Kubeproc, RunResult } from './harness.js';

const REQUEST_TIMEOUT_MS = 10_000;
const TICK_MS = 5;

export class LoadGenerator {
  sent = 0;
  readonly failures: string[] = [];
  private readonly served: { atMs: number; pod: string }[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly startMs = performance.now();
  private outstanding = 0;
  private timer: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;

  constructor(
    private readonly url: string,
    private readonly rate: number,
    /** How a good answer looks; group 1 is the pod that gave it. */
    private readonly answer: RegExp = /^Hello from (\S+)\n$/,
  ) {}

  elapsedMs(): number {
    return performance.now() - this.startMs;
  }

  /** Sends at the rate for durationMs; resolves when every request has its answer. */
  async runFor(durationMs: number): Promise<void> {
    const done = this.runUntilStopped();
    await new Promise((r) => setTimeout(r, durationMs));
    await this.stop();
    await done;
  }

  /** Starts sending; the promise resolves after stop() once nothing is outstanding. */
  runUntilStopped(): Promise<void> {
    this.timer = setInterval(() => {
      const due = Math.floor((this.elapsedMs() * this.rate) / 1000);
      while (this.sent < due) {
        this.one();
      }
    }, TICK_MS);
    return new Promise((resolve) => (this.drained = resolve));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const until = Date.now() + REQUEST_TIMEOUT_MS * 2;
    while (this.outstanding > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.agent.destroy();
    this.drained?.();
  }

  /** Pods that answered requests started at or after atMs, with counts. */
  podsSince(atMs: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.served) {
      if (s.atMs >= atMs) {
        out.set(s.pod, (out.get(s.pod) ?? 0) + 1);
      }
    }
    return out;
  }

  private one(): void {
    this.sent++;
    this.outstanding++;
    const atMs = this.elapsedMs();
    let finished = false;
    const finish = (failure?: string, pod?: string): void => {
      if (finished) {
        return;
      }
      finished = true;
      this.outstanding--;
      if (failure) {
        this.failures.push(`${Math.round(atMs)}ms: ${failure}`);
      } else if (pod) {
        this.served.push({ atMs, pod });
      }
    };
    const req = request(this.url, { agent: this.agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        const m = this.answer.exec(body);
        finish(
          res.statusCode === 200 && m ? undefined : `${res.statusCode} ${body.trim()}`,
          m?.[1],
        );
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(`response ${e.code ?? e.message}`));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => finish(`request ${e.code ?? e.message}`));
    req.end();
  }
}

/** kubectl against kp, as the harness runs it, but asynchronous. */
export function kubectlAsync(kp: Kubeproc, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', [`--cache-dir=${join(kp.dir, 'cache')}`, ...args], {
      env: { ...process.env, HOME: kp.dir, KUBECONFIG: kp.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
