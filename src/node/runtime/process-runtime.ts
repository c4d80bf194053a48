// Starts a container as a detached process group (no shell), writes its state file, pumps its
// logs, and reports its exit as Kubernetes does (exit code, signal, Completed/Error/OOMKilled);
// stop() sends SIGTERM to the group, then SIGKILL after the grace period.
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import type { ContainerCgroup } from './cgroup-container.js';
import { LogPump } from './container-log.js';
import { readProcStat, stateFilePath, writeContainerState } from './container-state.js';
import { ContainerStartError, resolveCommand, checkWorkingDir, DEFAULT_PATH } from './command.js';

export { ContainerStartError } from './command.js';

/** What to run: `command` + `args` exec'd directly, with exactly `env` (PATH defaulted). */
export interface ContainerSpec {
  name: string;
  command: string[];
  args?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** Directory of the pod's files; the container's go in <podDir>/<name>/. */
  podDir: string;
  restartCount: number;
  logMaxBytes?: number;
  logPumpIntervalMs?: number;
  /** A cgroup to move the process into right after it starts. */
  cgroup?: ContainerCgroup;
}

/** How a container ended. exitCode is 128 + signal number when a signal ended it. */
export interface ContainerExit {
  exitCode?: number;
  signal?: string;
  reason: 'Completed' | 'Error' | 'OOMKilled';
  finishedAt: Date;
}

/** A started container. */
export interface RunningContainer {
  pid: number;
  startedAt: Date;
  logPath: string;
  statePath: string;
  /** Resolves once the process has exited and its logs are flushed. */
  wait(): Promise<ContainerExit>;
  /** SIGTERM to the process group, SIGKILL to it after `graceSeconds`; resolves with the exit. */
  stop(graceSeconds: number): Promise<ContainerExit>;
}

/** Starts a container; rejects with ContainerStartError (reason RunContainerError) when it cannot. */
export async function startContainer(spec: ContainerSpec): Promise<RunningContainer> {
  const env = { PATH: DEFAULT_PATH, ...spec.env };
  const cwd = spec.workingDir ?? '/';
  await checkWorkingDir(cwd);
  const [command, ...commandArgs] = spec.command;
  const file = await resolveCommand(command, env.PATH, cwd);
  const containerDir = path.join(spec.podDir, spec.name);
  await mkdir(containerDir, { recursive: true });
  const pump = new LogPump({
    containerDir,
    restartCount: spec.restartCount,
    maxBytes: spec.logMaxBytes,
  });
  const oomBefore = (await spec.cgroup?.oomKillCount()) ?? 0;
  const { pid, exited } = await spawnDetached(file, [...commandArgs, ...(spec.args ?? [])], {
    cwd,
    env,
    argv0: command ?? file,
    stdout: pump.paths.stdout,
    stderr: pump.paths.stderr,
  });
  const startedAt = new Date();
  try {
    await spec.cgroup?.addProcess(pid);
  } catch (err) {
    killGroup(pid, 'SIGKILL');
    await exited;
    throw new ContainerStartError('RunContainerError', `adding to cgroup: ${String(err)}`);
  }
  pump.start(spec.logPumpIntervalMs);
  const statePath = stateFilePath(containerDir, spec.restartCount);
  await writeContainerState(statePath, {
    pid,
    procStartTime: (await readProcStat(pid))?.startTimeTicks ?? -1,
    startedAt: startedAt.toISOString(),
    restartCount: spec.restartCount,
    command: [file, ...commandArgs, ...(spec.args ?? [])],
    logPath: pump.paths.log,
    cgroupPath: spec.cgroup?.relPath,
  });
  const done = exited.then(async ({ code, signal }) => {
    // The main process is the container: like a PID namespace's init, its exit ends the rest.
    killGroup(pid, 'SIGKILL');
    await spec.cgroup?.killAll('SIGKILL');
    await pump.stop();
    const oomKilled = ((await spec.cgroup?.oomKillCount()) ?? 0) > oomBefore;
    return toExit(code, signal, oomKilled);
  });
  return {
    pid,
    startedAt,
    logPath: pump.paths.log,
    statePath,
    wait: () => done,
    stop: (graceSeconds) => stopGroup(pid, done, graceSeconds),
  };
}

function toExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  oomKilled: boolean,
): ContainerExit {
  const exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? undefined);
  const reason = oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  return { exitCode, signal: signal ?? undefined, reason, finishedAt: new Date() };
}

async function stopGroup(
  pid: number,
  done: Promise<ContainerExit>,
  graceSeconds: number,
): Promise<ContainerExit> {
  killGroup(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, graceSeconds) * 1000);
  });
  try {
    if ((await Promise.race([done, graceOver])) === 'timeout') {
      killGroup(pid, 'SIGKILL');
    }
  } finally {
    clearTimeout(timer);
  }
  return done;
}

/** Signals a whole process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}

interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  argv0: string;
  stdout: string;
  stderr: string;
}

// Output goes straight to files the process owns, so it never gets SIGPIPE when the agent dies.
async function spawnDetached(
  file: string,
  args: string[],
  opts: SpawnOptions,
): Promise<{ pid: number; exited: Promise<ProcessEnd> }> {
  const out = await open(opts.stdout, 'a');
  const err = await open(opts.stderr, 'a');
  try {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      argv0: opts.argv0,
      detached: true,
      stdio: ['ignore', out.fd, err.fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // Listen before any other await: a quick process may exit during the closes below.
    const exited = new Promise<ProcessEnd>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // unref: the agent may exit while containers run; they are adopted again on restart.
    child.unref();
    if (child.pid === undefined) {
      throw new Error('no pid');
    }
    return { pid: child.pid, exited };
  } catch (e) {
    throw new ContainerStartError(
      'RunContainerError',
      `exec: ${JSON.stringify(file)}: ${String(e)}`,
    );
  } finally {
    await out.close();
    await err.close();
  }
}
