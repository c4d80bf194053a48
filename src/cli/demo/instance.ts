// The demo's own kubeproc: `kubeproc up` as a child in a temp dir (free API port, its own
// kubeconfig and Service range), stopped at the end with its pods' processes reaped and the
// temp dir removed, so the demo leaves nothing behind.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapPods } from '../../node/kubelet/reap.js';
import { KUBEPROC_BIN } from './paths.js';
import { demoIsolatedCidrs, demoServiceCidr, demoUpArgs } from './options.js';
import { detectNetwork } from '../../node/network/index.js';
import { summarizeLog } from './log-tail.js';
import { parseUpOutput } from './up-output.js';
import type { UpSummary } from './up-output.js';

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

export interface Workspace {
  dir: string;
  dataDir: string;
  kubeconfig: string;
  cacheDir: string;
}

export interface Instance {
  args: string[];
  summary: UpSummary;
  /** What `kubeproc up` printed so far. */
  output(): string;
  child: ChildProcess;
}

/** A fresh temp dir for the demo's kubeproc. */
export function createWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-demo-'));
  return {
    dir,
    dataDir: join(dir, 'data'),
    kubeconfig: join(dir, 'kubeconfig'),
    cacheDir: join(dir, 'kubectl-cache'),
  };
}

const isAlive = (child: ChildProcess): boolean =>
  child.exitCode === null && child.signalCode === null;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (isAlive(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
    } catch (e) {
      // ESRCH: it exited between the check and the kill, which is what we wanted.
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw e;
      }
    }
  }
}

/** Starts `kubeproc up` in the workspace; resolves once it printed its startup summary. */
export async function launch(
  ws: Workspace,
  opts: {
    ingressHttpPort?: number;
    network?: 'isolated' | 'host';
    onSpawn?: (child: ChildProcess) => void;
  },
): Promise<Instance> {
  // Pod sandboxes where the machine has them (root on Linux), else host network mode; a forced
  // isolated mode the machine cannot do fails in `kubeproc up` with its reason.
  const isIsolated =
    opts.network === 'isolated' ||
    (opts.network === undefined && (await detectNetwork(undefined)).mode === 'isolated');
  const args = demoUpArgs({
    dataDir: ws.dataDir,
    kubeconfig: ws.kubeconfig,
    ...(isIsolated
      ? demoIsolatedCidrs(Math.random())
      : { serviceCidr: demoServiceCidr(Math.random()) }),
    ...(opts.ingressHttpPort !== undefined ? { ingressHttpPort: opts.ingressHttpPort } : {}),
  });
  // Its own process group: Ctrl-C reaches only the demo, which then stops kubeproc in order.
  const child = spawn(process.execPath, [KUBEPROC_BIN, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  opts.onSpawn?.(child);
  let text = '';
  const summary = await new Promise<UpSummary>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`kubeproc did not start within ${START_TIMEOUT_MS / 1000}s:\n${text}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const parsed = parseUpOutput(text);
      if (parsed?.isComplete) {
        clearTimeout(timer);
        resolve(parsed);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error('starting kubeproc', { cause: e }));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubeproc exited with ${code} during startup:\n${text}`));
    });
  });
  return { args, summary, output: () => text, child };
}

/** The last lines of kubeproc's log in words, for a failure report. */
export function logTail(ws: Workspace, lines: number): string {
  let text: string;
  try {
    text = readFileSync(join(ws.dataDir, 'kubeproc.log'), 'utf8');
  } catch (e) {
    return `(no log: ${(e as Error).message})`;
  }
  return summarizeLog(text, lines).join('\n');
}

/**
 * Stops kubeproc (SIGTERM, SIGKILL after a grace period), kills the pods' processes (they
 * outlive kubeproc by design), removes their cgroups and the temp dir.
 */
export async function teardown(ws: Workspace, child: ChildProcess | undefined): Promise<void> {
  if (child && isAlive(child)) {
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  await reapPods(ws.dataDir);
  rmSync(ws.dir, { recursive: true, force: true });
}

/** Last resort on process exit (for example a second Ctrl-C): kill kubeproc's group at once. */
export function killNow(child: ChildProcess | undefined): void {
  if (child) {
    killGroup(child, 'SIGKILL');
  }
}
