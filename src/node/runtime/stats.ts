// CPU and memory of a process tree read from /proc, for containers without a cgroup: the root
// process, its descendants, and any other member of its process group.
import { readFile, readdir } from 'node:fs/promises';
import { parseProcStat, readProcStat } from './container-state.js';
import type { ProcStat } from './container-state.js';

/** USER_HZ: /proc reports cpu times in these ticks; 100 on every Linux architecture we run on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** One reading of a process tree. */
export interface ProcessTreeStats {
  pids: number[];
  cpuUsageNs: number;
  /** Sum of VmRSS: without a cgroup this stands in for the working set. */
  rssBytes: number;
}

/** Every process's stat, read once (processes that exit while we read are skipped). */
export async function readAllProcStats(): Promise<ProcStat[]> {
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const stats = await Promise.all(
    names.map((n) => readFile(`/proc/${n}/stat`, 'utf8').then(parseProcStat, () => undefined)),
  );
  return stats.filter((s): s is ProcStat => s !== undefined);
}

/** The pids of `rootPid`'s tree and process group, from a snapshot of all processes. */
export function treePids(all: readonly ProcStat[], rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of all) {
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  }
  const found = new Set<number>();
  const queue = all.some((p) => p.pid === rootPid) ? [rootPid] : [];
  for (const p of all) {
    if (p.pgid === rootPid) {
      queue.push(p.pid);
    }
  }
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (!found.has(pid)) {
      found.add(pid);
      queue.push(...(children.get(pid) ?? []));
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** CPU time (user + system) and RSS of a process tree now. */
export async function processTreeStats(rootPid: number): Promise<ProcessTreeStats> {
  const pids = treePids(await readAllProcStats(), rootPid);
  let cpuTicks = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    const stat = await readProcStat(pid);
    if (!stat) {
      continue;
    }
    cpuTicks += stat.utimeTicks + stat.stimeTicks;
    rssBytes += await vmRssBytes(pid);
  }
  return { pids, cpuUsageNs: (cpuTicks * 1e9) / CLOCK_TICKS_PER_SECOND, rssBytes };
}

async function vmRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}
