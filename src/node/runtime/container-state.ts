// Process identity for adoption: /proc/<pid>/stat start time, and one state file per container
// run (<podDir>/<container>/<restartCount>.state.json) that a restarted agent reads back.
import { readFile, rename, writeFile } from 'node:fs/promises';

/** What a restarted agent needs to find and verify a container's process. */
export interface ContainerState {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot): with the pid, the identity. */
  procStartTime: number;
  startedAt: string;
  restartCount: number;
  command: string[];
  logPath: string;
  /** The cgroup's path below the hierarchy roots, when the container has one. */
  cgroupPath?: string;
  /** The cgroup's OOM kill count before the start: more at the exit means OOMKilled. */
  oomKillsAtStart?: number;
  /** PID-namespace mode: where the namespace's init records the app's exit status. */
  exitFile?: string;
  /** PID-namespace mode: host pid of the namespace's init (PID 1), the nsenter target. */
  namespacePid?: number;
  /** Host pid of the container's command (equal to `pid` without a namespace). */
  appPid?: number;
}

/** Fields of /proc/<pid>/stat we use; undefined when the process does not exist. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  utimeTicks: number;
  stimeTicks: number;
  startTimeTicks: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and ')' so we split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) {
    return undefined;
  }
  // After ')' the fields start at field 3 (state); index i here is field i + 3.
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const num = (field: number): number => Number(f[field - 3] ?? NaN);
  return {
    pid: Number.parseInt(text, 10),
    state: f[0] ?? '?',
    ppid: num(4),
    pgid: num(5),
    utimeTicks: num(14),
    stimeTicks: num(15),
    startTimeTicks: num(22),
    rssPages: num(24),
  };
}

/** Reads /proc/<pid>/stat, or undefined when the process is gone. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (err) {
    if (['ENOENT', 'ESRCH'].includes((err as NodeJS.ErrnoException).code ?? '')) {
      return undefined;
    }
    throw err;
  }
}

/** True when `pid` is alive (not a zombie) and is the process the state file recorded. */
export async function isSameProcess(
  state: Pick<ContainerState, 'pid' | 'procStartTime'>,
): Promise<boolean> {
  const stat = await readProcStat(state.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTimeTicks === state.procStartTime;
}

/** The state file path of one run of a container. */
export function stateFilePath(containerDir: string, restartCount: number): string {
  return `${containerDir}/${restartCount}.state.json`;
}

/** Writes the state file atomically (write then rename), so a crash never leaves half a file. */
export async function writeContainerState(file: string, state: ContainerState): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await rename(`${file}.tmp`, file);
}

/** Reads a state file back. */
export async function readContainerState(file: string): Promise<ContainerState> {
  return JSON.parse(await readFile(file, 'utf8')) as ContainerState;
}
