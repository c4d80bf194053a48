// Starts a container as a detached process group (no shell parses the command) that joins its
// cgroup before exec, optionally in its own PID namespace; writes its state file, pumps its logs,
// and reports its exit as Kubernetes does. stop() sends SIGTERM, then SIGKILL after the grace.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { launchArgv, type MountSetup } from '../sandbox/launch.js';
import type { PodNamespaces } from '../sandbox/launch.js';
import { waitForChild, waitGone } from '../sandbox/proc-tree.js';
import type { ContainerCgroup } from './cgroup-container.js';
import { checkWorkingDir, DEFAULT_PATH, resolveCommand } from './command.js';
import { toExit } from './container-exit.js';
import type { ContainerExit } from './container-exit.js';
import { LogPump } from './container-log.js';
import { killGroup, killProcess, spawnContainerProcess } from './container-process.js';
import type { ProcessEnd } from './container-process.js';
import { readProcStat, stateFilePath, writeContainerState } from './container-state.js';
import { ContainerStdio } from './container-stdio.js';
import { spawnOnTerminal } from './container-terminal.js';

export { ContainerStartError } from './command.js';
export { killGroup } from './container-process.js';
export type { ContainerExit } from './container-exit.js';

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
  /** The cgroup the process joins before it execs the command. */
  cgroup?: ContainerCgroup;
  /** Run in a new PID namespace with its own /proc (detectSandbox's result when available). */
  pidNamespace?: { unshare: string; unshareFlags?: string[]; setsid?: string };
  /** Mounts the namespace's init makes before the app (PID-namespace mode only). */
  mounts?: MountSetup;
  /** Words the command runs through (setpriv for runAsUser/runAsGroup). */
  wrapper?: string[];
  /** The pod's network and UTS namespaces (isolated network mode). */
  podNamespaces?: PodNamespaces;
  /** Keep stdin open for attach (a pipe the agent holds); otherwise it is /dev/null. */
  stdin?: boolean;
  /** Close stdin (EOF) once the first attach's input ends. */
  stdinOnce?: boolean;
  /** Run on a terminal the agent holds; its output is the log's stdout. */
  tty?: boolean;
}

/** A started (or adopted) container. */
export interface RunningContainer {
  /** The process group leader: the command itself, or `unshare` in PID-namespace mode. */
  pid: number;
  /** Host pid of the command; undefined if it ended before it could be seen. */
  appPid?: number;
  /** Host pid of the PID namespace's init (PID 1 there): the nsenter target for exec. */
  namespacePid?: number;
  startedAt: Date;
  logPath: string;
  statePath: string;
  /** The stdin or terminal this agent holds (started with stdin or tty; never when adopted). */
  stdio?: ContainerStdio;
  /** Resolves once the process has exited and its logs are flushed. */
  wait(): Promise<ContainerExit>;
  /** SIGTERM to the process group, SIGKILL to it after `graceSeconds`; resolves with the exit. */
  stop(graceSeconds: number): Promise<ContainerExit>;
  /**
   * Stops watching and leaves the process running (agent shutdown): the log pump stops with its
   * position saved, so a new agent can adoptContainer() it. wait() then never settles.
   */
  detach(): Promise<void>;
}

/** How long a new namespace may take to show its init and app processes. */
const NAMESPACE_START_TIMEOUT_MS = 5000;
/** How long the exit waits for the container's processes to be gone. */
const END_TIMEOUT_MS = 2000;

/** Starts a container; rejects with ContainerStartError (reason RunContainerError) when it cannot. */
export async function startContainer(spec: ContainerSpec): Promise<RunningContainer> {
  const plan = await planStart(spec);
  const { pump, cgroup } = plan;
  const oomBefore = (await cgroup?.oomKillCount()) ?? 0;
  const { pid, exited, stdio } = await spawnProcess(spec, plan);
  const startedAt = new Date();
  const ns = spec.pidNamespace ? await findNamespacePids(pid, exited) : undefined;
  const appPid = ns ? ns.appPid : pid;
  pump.start(spec.logPumpIntervalMs);
  await writeContainerState(plan.statePath, {
    pid,
    procStartTime: (await readProcStat(pid))?.startTimeTicks ?? -1,
    startedAt: startedAt.toISOString(),
    restartCount: spec.restartCount,
    command: plan.command,
    logPath: pump.paths.log,
    cgroupPath: cgroup?.relPath,
    oomKillsAtStart: oomBefore,
    exitFile: plan.exitFile,
    namespacePid: ns?.initPid,
    appPid,
  });
  let isDetached = false;
  const done = exited.then(async (end) => {
    if (isDetached) {
      return new Promise<ContainerExit>(() => undefined);
    }
    stdio?.closeStdin();
    // The main process is the container: like a PID namespace's init, its exit ends the rest.
    killGroup(pid, 'SIGKILL');
    await endCgroup(cgroup);
    // Signals take a moment to land, and a namespace's init outlives unshare until the kernel
    // has reaped everything under it: the exit means nothing of the container runs any more.
    await waitGone([ns?.initPid, appPid], pid, END_TIMEOUT_MS);
    await pump.stop();
    const oomKilled = ((await cgroup?.oomKillCount()) ?? 0) > oomBefore;
    return toExit(end, oomKilled, ns !== undefined);
  });
  return {
    pid,
    appPid,
    namespacePid: ns?.initPid,
    startedAt,
    logPath: pump.paths.log,
    statePath: plan.statePath,
    stdio,
    wait: () => done,
    stop: (graceSeconds) => stopContainer({ pid, appPid }, done, graceSeconds),
    detach: async () => {
      isDetached = true;
      await pump.stop();
    },
  };
}

// A terminal, or a detached process group with its output going straight to files.
async function spawnProcess(
  spec: ContainerSpec,
  plan: StartPlan,
): Promise<{ pid: number; exited: Promise<ProcessEnd>; stdio?: ContainerStdio }> {
  const { paths } = plan.pump;
  const stdinOnce = spec.stdinOnce === true;
  if (spec.tty) {
    const opts = { cwd: plan.cwd, env: plan.env, stdout: paths.stdout, stdinOnce };
    return spawnOnTerminal(plan.argv, { ...opts, stdin: spec.stdin === true });
  }
  const { pid, exited, stdin } = await spawnContainerProcess(plan.argv, {
    cwd: plan.cwd,
    env: plan.env,
    stdout: paths.stdout,
    stderr: paths.stderr,
    stdin: spec.stdin,
  });
  return { pid, exited, stdio: stdin ? ContainerStdio.forPipe(stdin, stdinOnce) : undefined };
}

/** Kills what is left in a container's cgroup and waits until it is empty (so it can be removed). */
export async function endCgroup(cgroup: ContainerCgroup | undefined): Promise<void> {
  await cgroup?.killAll('SIGKILL');
  await cgroup?.waitEmpty();
}

interface StartPlan {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** The resolved command line, as the state file records it. */
  command: string[];
  pump: LogPump;
  statePath: string;
  exitFile?: string;
  cgroup?: ContainerCgroup;
}

// Everything checked and prepared before the spawn: runc's checks, the files, the launch argv.
async function planStart(spec: ContainerSpec): Promise<StartPlan> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, ...spec.env };
  // containerd gives a terminal container TERM=xterm unless the spec sets TERM.
  if (spec.tty && env.TERM === undefined) {
    env.TERM = 'xterm';
  }
  const cwd = spec.workingDir ?? '/';
  await checkWorkingDir(cwd);
  const [command, ...commandArgs] = spec.command;
  const file = await resolveCommand(command, env.PATH ?? DEFAULT_PATH, cwd);
  // argv[0] stays as written (the shell searches PATH again), as runc passes it.
  const argv = [command ?? file, ...commandArgs, ...(spec.args ?? [])];
  const containerDir = path.join(spec.podDir, spec.name);
  await mkdir(containerDir, { recursive: true });
  const pump = new LogPump({
    containerDir,
    restartCount: spec.restartCount,
    maxBytes: spec.logMaxBytes,
  });
  let exitFile: string | undefined;
  if (spec.pidNamespace) {
    exitFile = `${containerDir}/${spec.restartCount}.exit`;
    await rm(exitFile, { force: true });
  }
  const ns = spec.pidNamespace;
  const launch = launchArgv({
    command: terminalSession(spec, argv),
    env,
    cgroupProcs: spec.cgroup?.procsFiles(),
    pidNamespace:
      ns && exitFile
        ? {
            unshare: ns.unshare,
            exitFile,
            ...(ns.unshareFlags ? { unshareFlags: ns.unshareFlags } : {}),
          }
        : undefined,
    mounts: ns ? spec.mounts : undefined,
    wrapper: spec.wrapper,
    podNamespaces: spec.podNamespaces,
    // A terminal has no status pipe: cgroup errors go to it, hence to the log.
    errorFd: spec.tty ? 2 : 3,
  });
  return {
    argv: launch,
    cwd,
    env,
    command: [file, ...argv.slice(1)],
    pump,
    statePath: stateFilePath(containerDir, spec.restartCount),
    exitFile,
    cgroup: spec.cgroup,
  };
}

// In a PID namespace the terminal's session leader (unshare) is invisible to the app, so an
// interactive shell could neither take nor hand back the terminal: with a terminal the app
// starts its own session there and takes the terminal, as exec does (ADR 0006).
function terminalSession(spec: ContainerSpec, argv: string[]): string[] {
  const setsid = spec.pidNamespace?.setsid;
  return spec.tty && setsid ? [setsid, '--ctty', ...argv] : argv;
}

// unshare forks the init, the init forks the app: both appear within milliseconds. Waiting for
// the app also means /proc is mounted, so an exec right after the start sees the namespace.
async function findNamespacePids(
  leader: number,
  exited: Promise<ProcessEnd>,
): Promise<{ initPid?: number; appPid?: number }> {
  let isOver = false;
  void exited.then(() => (isOver = true));
  const opts = { timeoutMs: NAMESPACE_START_TIMEOUT_MS, isOver: () => isOver };
  const initPid = await waitForChild(leader, opts);
  const appPid = initPid === undefined ? undefined : await waitForChild(initPid, opts);
  return { initPid, appPid };
}

/** SIGTERM, then SIGKILL after the grace period, to the group (and the app if it left it). */
export async function stopContainer(
  pids: { pid: number; appPid?: number },
  done: Promise<ContainerExit>,
  graceSeconds: number,
  onKill?: () => void,
): Promise<ContainerExit> {
  await signalContainer(pids, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, graceSeconds) * 1000);
  });
  try {
    if ((await Promise.race([done, graceOver])) === 'timeout') {
      onKill?.();
      await signalContainer(pids, 'SIGKILL');
    }
  } finally {
    clearTimeout(timer);
  }
  return done;
}

// The group holds unshare, the init and the app; the init ignores both signals (a namespace's
// PID 1 gets no default-action signal), so the app decides how the container ends. An app that
// moved to its own process group is signalled directly, once.
async function signalContainer(
  pids: { pid: number; appPid?: number },
  signal: NodeJS.Signals,
): Promise<void> {
  killGroup(pids.pid, signal);
  if (pids.appPid !== undefined && pids.appPid !== pids.pid) {
    const app = await readProcStat(pids.appPid);
    if (app && app.pgid !== pids.pid) {
      killProcess(pids.appPid, signal);
    }
  }
}
