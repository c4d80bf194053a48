// Readings of process trees from /proc, for containers without a cgroup: one snapshot of every
// process per sampling round, then each container's tree (root, descendants, process group).
import { readFile, readdir } from 'node:fs/promises';
import { parseProcStat } from '../runtime/container-state.js';
import type { ProcStat } from '../runtime/container-state.js';
import { CLOCK_TICKS_PER_SECOND, treePids } from '../runtime/stats.js';
import type { Reading } from './usage-rate.js';

/** One process's counters beyond ProcStat: children's CPU and page faults. */
export interface ProcCounters {
  /** utime + stime + cutime + cstime: the process's CPU plus that of children it reaped. */
  cpuTicks: number;
  minorFaults: number;
  majorFaults: number;
}

/** Every process's stat at one moment; `timestamp` is the middle of the reading. */
export interface ProcSnapshot {
  timestamp: Date;
  stats: ProcStat[];
  counters: Map<number, ProcCounters>;
}

/**
 * Fields 10 (minflt), 12 (majflt) and 14-17 (utime, stime, cutime, cstime) of /proc/<pid>/stat.
 * Counting reaped children keeps the tree's counter from dropping when a short-lived child exits.
 */
export function parseProcCounters(text: string): ProcCounters | undefined {
  const close = text.lastIndexOf(')');
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ')
    .map(Number);
  // f[0] is field 3 (state), so field n is f[n - 3].
  const [minflt, majflt, utime, stime, cutime, cstime] = [10, 12, 14, 15, 16, 17].map(
    (n) => f[n - 3],
  );
  if (close < 0 || cstime === undefined || Number.isNaN(cstime)) {
    return undefined;
  }
  return {
    cpuTicks: (utime ?? 0) + (stime ?? 0) + (cutime ?? 0) + cstime,
    minorFaults: minflt ?? 0,
    majorFaults: majflt ?? 0,
  };
}

/** Reads every process's stat once (processes that exit meanwhile are skipped). */
export async function readProcSnapshot(now: () => Date): Promise<ProcSnapshot> {
  const before = now().getTime();
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  const texts = await Promise.all(
    names.map((n) => readFile(`/proc/${n}/stat`, 'utf8').catch(() => undefined)),
  );
  const timestamp = new Date((before + now().getTime()) / 2);
  const stats: ProcStat[] = [];
  const counters = new Map<number, ProcCounters>();
  for (const text of texts) {
    const stat = text === undefined ? undefined : parseProcStat(text);
    const c = text === undefined ? undefined : parseProcCounters(text);
    if (stat && c) {
      stats.push(stat);
      counters.set(stat.pid, c);
    }
  }
  return { timestamp, stats, counters };
}

async function vmRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/**
 * The reading of `rootPid`'s tree from a snapshot, or undefined when no process of it is left.
 * Without a cgroup there is no page cache to subtract, so rss stands in for usage and working set.
 */
export async function readProcTree(
  snapshot: ProcSnapshot,
  rootPid: number,
  startTime: Date,
): Promise<Reading | undefined> {
  const pids = treePids(snapshot.stats, rootPid);
  if (pids.length === 0) {
    return undefined;
  }
  let ticks = 0;
  let minor = 0;
  let major = 0;
  for (const pid of pids) {
    const c = snapshot.counters.get(pid);
    ticks += c?.cpuTicks ?? 0;
    minor += c?.minorFaults ?? 0;
    major += c?.majorFaults ?? 0;
  }
  const rss = (await Promise.all(pids.map(vmRssBytes))).reduce((a, b) => a + b, 0);
  return {
    timestamp: snapshot.timestamp,
    startTime,
    usageCoreNanoSeconds: ticks * (1e9 / CLOCK_TICKS_PER_SECOND),
    memory: {
      usageBytes: rss,
      workingSetBytes: rss,
      rssBytes: rss,
      pageFaults: minor + major,
      majorPageFaults: major,
    },
  };
}
