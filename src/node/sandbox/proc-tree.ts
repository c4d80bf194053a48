// Finding a process's children on the host: the namespace init under `unshare`, the app under
// the init. /proc/<pid>/task/<pid>/children is read first; a scan of /proc is the fallback.
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The host pids whose parent is `pid` (empty when it has none or is gone). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
  // Kernels without CONFIG_PROC_CHILDREN: the parent pid is field 4 of /proc/<n>/stat.
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const found: number[] = [];
  for (const name of names) {
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) {
      found.push(Number(name));
    }
  }
  return found;
}

/**
 * The first child of `pid` once it has one; undefined when `isOver()` says to stop waiting (the
 * parent exited) or after `timeoutMs`.
 */
export async function waitForChild(
  pid: number,
  opts: { timeoutMs: number; isOver?: () => boolean; pollMs?: number },
): Promise<number | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const [child] = await childPids(pid);
    if (child !== undefined) {
      return child;
    }
    if (opts.isOver?.() === true || Date.now() >= deadline) {
      return undefined;
    }
    await sleep(opts.pollMs ?? 5);
  }
}

/**
 * Waits until every pid, and every member of process group `pgid`, is gone or a zombie (a
 * signal takes a moment to land); false if one still runs after `timeoutMs`.
 */
export async function waitGone(
  pids: (number | undefined)[],
  pgid: number | undefined,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = [];
    for (const pid of pids) {
      if (pid !== undefined && (await stateOf(pid)).isRunning) {
        left.push(pid);
      }
    }
    if (left.length === 0 && (pgid === undefined || !(await hasGroupMember(pgid)))) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(10);
  }
}

async function hasGroupMember(pgid: number): Promise<boolean> {
  for (const name of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const { isRunning, pgid: group } = await stateOf(Number(name));
    if (isRunning && group === pgid) {
      return true;
    }
  }
  return false;
}

// Fields 3 (state) and 5 (pgrp) of /proc/<pid>/stat, read after the command name's last ')'.
async function stateOf(pid: number): Promise<{ isRunning: boolean; pgid?: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0] ?? '';
  return { isRunning: stat !== '' && state !== 'Z' && state !== 'X', pgid: Number(fields[2]) };
}
