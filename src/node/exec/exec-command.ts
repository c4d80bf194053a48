// Everything decided before an exec runs: the environment and working directory, the checks
// runc makes (with its messages as containerd words them), and the launch argv through nsenter.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { enterPodNamespaces, launchArgv } from '../sandbox/launch.js';
import {
  checkWorkingDir,
  ContainerStartError,
  DEFAULT_PATH,
  resolveCommand,
} from '../runtime/command.js';
import { readProcStat } from '../runtime/container-state.js';
import type { ExecExit, ExecOptions } from './types.js';

/** An exec that could not start; the message is what kubectl prints after the server's prefix. */
export class ExecStartError extends Error {
  readonly code = 'ExecStartFailed';

  constructor(message: string) {
    super(message);
    this.name = 'ExecStartError';
  }
}

/** What to spawn for one exec. */
export interface PreparedExec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Checks the target, directory and command, and builds the argv; rejects with ExecStartError. */
export async function prepareExec(
  opts: Omit<ExecOptions, 'stdin'>,
  errorFd: 2 | 3,
): Promise<PreparedExec> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, ...opts.env };
  // containerd gives a terminal exec TERM=xterm unless the container sets TERM.
  if (opts.tty && env.TERM === undefined) {
    env.TERM = 'xterm';
  }
  const cwd = opts.workingDir ?? '/';
  const id = randomBytes(32).toString('hex');
  if (opts.targetPid !== undefined) {
    const init = await readProcStat(opts.targetPid);
    if (!init || init.state === 'Z') {
      throw new ExecStartError(
        `failed to exec in container: failed to create exec ${JSON.stringify(id)}: cannot exec in a stopped state: unknown`,
      );
    }
  }
  try {
    await checkWorkingDir(cwd);
    await resolveCommand(opts.command[0], env.PATH ?? DEFAULT_PATH, cwd);
  } catch (err) {
    if (err instanceof ContainerStartError) {
      throw new ExecStartError(ociExecFailure(id, err.message));
    }
    throw err;
  }
  const command =
    opts.targetPid === undefined
      ? [...enterPodNamespaces(opts.podNamespaces), ...opts.command]
      : enterCommand(opts, cwd);
  const argv = launchArgv({ command, env, cgroupProcs: opts.cgroup?.procsFiles(), errorFd });
  return { argv, cwd, env };
}

// nsenter's child stays in the session of the host-side launcher, whose process group the
// namespace cannot see: an interactive shell could not hand the terminal back on exit. With a
// terminal the command starts its own session there and takes the terminal, as runc exec does.
function enterCommand(opts: Omit<ExecOptions, 'stdin'>, cwd: string): string[] {
  const tools = opts.sandbox ?? { nsenter: 'nsenter', setsid: 'setsid' };
  const enter = [
    tools.nsenter,
    `--target=${opts.targetPid}`,
    '--pid',
    '--mount',
    // The init was started inside the pod's network and UTS namespaces (isolated mode).
    ...(opts.podNamespaces ? ['--net', '--uts'] : []),
    `--wd=${cwd}`,
    '--',
  ];
  return opts.tty
    ? [...enter, tools.setsid, '--ctty', ...opts.command]
    : [...enter, ...opts.command];
}

/** containerd's wording of a runc exec failure (what `kubectl exec` shows for a missing command). */
export function ociExecFailure(execId: string, runcMessage: string): string {
  return (
    `failed to exec in container: failed to start exec ${JSON.stringify(execId)}: ` +
    `OCI runtime exec failed: exec failed: unable to start container process: ${runcMessage}: unknown`
  );
}

// Go's syscall.Signal strings on Linux: os/exec reports a signalled process as "signal: <this>".
const GO_SIGNAL_TEXT: Record<number, string> = {
  1: 'hangup',
  2: 'interrupt',
  3: 'quit',
  4: 'illegal instruction',
  5: 'trace/breakpoint trap',
  6: 'aborted',
  7: 'bus error',
  8: 'floating point exception',
  9: 'killed',
  10: 'user defined signal 1',
  11: 'segmentation fault',
  12: 'user defined signal 2',
  13: 'broken pipe',
  14: 'alarm clock',
  15: 'terminated',
  24: 'CPU time limit exceeded',
  25: 'file size limit exceeded',
  31: 'bad system call',
};

/** The session's end from a process's exit code or signal (name or number). */
export function execExit(code: number | null, signal: NodeJS.Signals | number | null): ExecExit {
  if (signal !== null && signal !== 0) {
    const n = typeof signal === 'number' ? signal : (constants.signals[signal] ?? 0);
    return { error: `signal: ${GO_SIGNAL_TEXT[n] ?? `signal ${n}`}` };
  }
  // Exit codes travel as a uint8 to client-go.
  return { exitCode: (code ?? 0) & 0xff };
}
