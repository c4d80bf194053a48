// Re-attaches to a container a previous agent started, from its state file: the process is no
// longer our child, so its end is seen by polling /proc, and its status comes from the namespace
// init's exit file when there is one, else it is reported as upstream reports a lost container.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitGone } from '../sandbox/proc-tree.js';
import { ContainerCgroup } from './cgroup-container.js';
import type { AvailableCgroups } from './cgroup-fs.js';
import { readExitFile, toExit, unknownExit } from './container-exit.js';
import type { ContainerExit } from './container-exit.js';
import { LogPump } from './container-log.js';
import { killGroup } from './container-process.js';
import { isSameProcess, readContainerState } from './container-state.js';
import type { ContainerState } from './container-state.js';
import { endCgroup, stopContainer } from './process-runtime.js';
import type { RunningContainer } from './process-runtime.js';

/** Options of adoptContainer. */
export interface AdoptOptions {
  /** The machine's cgroups, to find the container's cgroup again by its recorded path. */
  cgroups?: AvailableCgroups;
  /** How often /proc is checked for the process's end (default 500 ms). */
  pollMs?: number;
  logMaxBytes?: number;
  logPumpIntervalMs?: number;
}

/**
 * The container a state file describes; undefined when there is no state file. A container that
 * ended while no agent watched comes back already ended (wait() resolves at once).
 */
export async function adoptContainer(
  statePath: string,
  opts: AdoptOptions = {},
): Promise<RunningContainer | undefined> {
  let state: ContainerState;
  try {
    state = await readContainerState(statePath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
  const cgroup =
    opts.cgroups && state.cgroupPath
      ? new ContainerCgroup(opts.cgroups, state.cgroupPath)
      : undefined;
  const pump = new LogPump({
    containerDir: path.dirname(statePath),
    restartCount: state.restartCount,
    maxBytes: opts.logMaxBytes,
  });
  await pump.restorePosition();
  pump.start(opts.logPumpIntervalMs);
  let sentKill = false;
  let isDetached = false;
  const gone = waitUntilGone(state, opts.pollMs ?? 500, () => isDetached);
  const done = gone.then(async () => {
    if (isDetached) {
      return new Promise<ContainerExit>(() => undefined);
    }
    killGroup(state.pid, 'SIGKILL');
    await endCgroup(cgroup);
    await waitGone([state.namespacePid, state.appPid], state.pid, 2000);
    await pump.stop();
    const oomKilled =
      cgroup !== undefined && (await cgroup.oomKillCount()) > (state.oomKillsAtStart ?? 0);
    return lostExit(await readExitFile(state.exitFile), oomKilled, sentKill);
  });
  const pids = { pid: state.pid, appPid: state.appPid };
  return {
    pid: state.pid,
    appPid: state.appPid,
    namespacePid: state.namespacePid,
    startedAt: new Date(state.startedAt),
    logPath: state.logPath,
    statePath,
    wait: () => done,
    stop: (graceSeconds) => stopContainer(pids, done, graceSeconds, () => (sentKill = true)),
    detach: async () => {
      isDetached = true;
      await pump.stop();
    },
  };
}

// Without the parent's wait status: the init's exit file is exact; a SIGKILL we sent is certain
// enough; an OOM kill shows in the cgroup; anything else is unknown, as the kubelet says.
function lostExit(code: number | undefined, oomKilled: boolean, sentKill: boolean): ContainerExit {
  if (code !== undefined) {
    return toExit({ code, signal: null }, oomKilled, true);
  }
  if (sentKill || oomKilled) {
    return toExit({ code: null, signal: 'SIGKILL' }, oomKilled);
  }
  return unknownExit();
}

async function waitUntilGone(
  state: ContainerState,
  pollMs: number,
  isDetached: () => boolean,
): Promise<void> {
  while (!isDetached() && (await isSameProcess(state))) {
    await sleep(pollMs);
  }
}
