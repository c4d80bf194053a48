// Runs a command in a running container for `kubectl exec`: through nsenter into the container's
// PID and mount namespaces when it has them, joining its cgroup before exec; pipes, or a
// pseudo-terminal for -t. Returns the streaming layer's ExecSession.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { killGroup, readAll } from '../runtime/container-process.js';
import { ExecStartError, execExit, prepareExec } from './exec-command.js';
import { startPtyExec } from './exec-pty.js';
import type { ExecExit, ExecOptions, ExecSession } from './types.js';

export { ExecStartError } from './exec-command.js';

/** Starts `command` in the container; rejects with ExecStartError when it cannot run at all. */
export async function execInContainer(opts: ExecOptions): Promise<ExecSession> {
  if (opts.tty) {
    return startPtyExec(await prepareExec(opts, 2), opts);
  }
  const prepared = await prepareExec(opts, 3);
  const child = spawn(prepared.argv[0] ?? '', prepared.argv.slice(1), {
    cwd: prepared.cwd,
    env: prepared.env,
    // Its own group: abort() and timeouts reach nsenter and the command together.
    detached: true,
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const exit = childExit(child);
  // The caller takes `exit` only once we return; until then a spawn error must not count as
  // an unhandled rejection (the caller still sees it).
  void exit.catch(() => undefined);
  // Take the output at once: Node discards the pipes of a child that exited while nothing
  // listened, and a quick command may end before the caller attaches.
  const stdout = child.stdout?.pipe(new PassThrough());
  const stderr = child.stderr?.pipe(new PassThrough());
  const status = child.stdio[3] as Readable | null;
  const failure = status ? (await readAll(status)).trim() : '';
  if (failure !== '') {
    await exit;
    throw new ExecStartError(`failed to exec in container: adding to cgroup: ${failure}`);
  }
  return {
    stdin: child.stdin ?? undefined,
    stdout,
    stderr,
    exit,
    abort: () => killGroup(child.pid ?? 0, 'SIGKILL'),
  };
}

/** The exit of a spawned child as the session reports it; a spawn error rejects. */
export function childExit(child: ChildProcess): Promise<ExecExit> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(execExit(code, signal)));
  });
}
