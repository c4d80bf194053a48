// Runs the real kubectl against the demo's kubeproc without blocking the event loop (requests
// keep flowing while kubectl runs), with the demo's kubeconfig and a cache dir in its temp dir.
import { execFile } from 'node:child_process';
import type { Narrator } from './narrator.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  cacheDir: string;
  binary?: string;
}

const TIMEOUT_MS = 60_000;

export class Kubectl {
  constructor(private readonly opts: KubectlOptions) {}

  /** Runs `kubectl ARGS`; never rejects for a non-zero exit (see `code`). */
  run(args: string[], timeoutMs = TIMEOUT_MS): Promise<KubectlResult> {
    const env = { ...process.env, KUBECONFIG: this.opts.kubeconfig };
    return new Promise((resolve, reject) => {
      execFile(
        this.opts.binary ?? 'kubectl',
        [`--cache-dir=${this.opts.cacheDir}`, ...args],
        { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          if (err && typeof err.code !== 'number' && err.killed !== true) {
            reject(new Error(`running kubectl ${args.join(' ')}`, { cause: err }));
            return;
          }
          const code = err ? (typeof err.code === 'number' ? err.code : 124) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs kubectl and returns its stdout; throws with its stderr when it fails. */
  async ok(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.run(args, timeoutMs);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
    return r.stdout;
  }

  /** Prints `$ kubectl ARGS` and what it printed (stdout, then stderr); throws if it failed. */
  async show(narrator: Narrator, args: string[]): Promise<string> {
    const r = await this.run(args);
    narrator.command(`kubectl ${args.join(' ')}`, `${r.stdout}${r.stderr}`);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code})`);
    }
    return r.stdout;
  }
}
