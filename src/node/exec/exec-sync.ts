// Exec probes (CRI ExecSync): run a command in the container without a terminal, collect its
// output, and kill it at the timeout. Same mechanism as execInContainer.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { ExecResult } from '../prober/types.js';
import { killGroup, readAll } from '../runtime/container-process.js';
import { ExecStartError, prepareExec } from './exec-command.js';
import type { ExecTarget } from './types.js';

/** Output kept per stream; the prober keeps far less (10 KiB). */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** The runner a ProbeTarget's `exec` takes, for one container. */
export function probeExec(
  target: ExecTarget,
): (command: string[], timeoutMs: number) => Promise<ExecResult> {
  return (command, timeoutMs) => execSync(target, command, timeoutMs);
}

/** Runs `command` in the container to its end or the timeout; throws when it cannot run at all. */
export async function execSync(
  target: ExecTarget,
  command: string[],
  timeoutMs: number,
): Promise<ExecResult> {
  let prepared;
  try {
    prepared = await prepareExec({ ...target, command, tty: false }, 3);
  } catch (err) {
    throw err instanceof ExecStartError ? asRpcError(err.message) : err;
  }
  const child = spawn(prepared.argv[0] ?? '', prepared.argv.slice(1), {
    cwd: prepared.cwd,
    env: prepared.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const result = collect(child, timeoutMs);
  const status = child.stdio[3] as Readable | null;
  const failure = status ? (await readAll(status)).trim() : '';
  if (failure !== '') {
    await result;
    throw asRpcError(`failed to exec in container: adding to cgroup: ${failure}`);
  }
  return result;
}

// How the kubelet shows a CRI error in probe events: "rpc error: code = Unknown desc = ...".
function asRpcError(message: string): Error {
  return new ExecStartError(`rpc error: code = Unknown desc = ${message}`);
}

function collect(child: ChildProcess, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out = { stdout: '', stderr: '' };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name]?.on('data', (d: Buffer) => {
        if (out[name].length < MAX_OUTPUT_BYTES) {
          out[name] += d.toString('utf8');
        }
      });
    }
    let isTimedOut = false;
    let exitCode = -1;
    const timer = setTimeout(() => {
      isTimedOut = true;
      killGroup(child.pid ?? 0, 'SIGKILL');
      // A child that left the group may still hold the pipes; stop waiting for them.
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      // As containerd reports it: 128 + n for a process a signal ended.
      exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? -1);
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve({ exitCode, ...out, isTimedOut });
    });
  });
}
