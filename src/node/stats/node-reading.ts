// The node's CPU counter and memory from /proc/stat, /proc/meminfo and /proc/vmstat, computed to
// match what cAdvisor reports for the root cgroup (the kubelet's node stats) on cgroup v1.
import { readFile } from 'node:fs/promises';
import type { MemoryReading, Reading } from './usage-rate.js';

/** USER_HZ: the unit of /proc/stat times, 100 on every Linux architecture we run on. */
const TICKS_PER_SECOND = 100;

/** CPU busy time from /proc/stat text, and the boot time (btime) that time counts from. */
export interface ProcStatCpu {
  usageCoreNanoSeconds: number;
  bootTime: Date;
}

/**
 * Parses the aggregate `cpu` line: user + nice + system + irq + softirq. The root cgroup's
 * cpuacct.usage counts the same time; guest time is already inside user, and steal is time the
 * hypervisor gave to others, so neither is added.
 */
export function parseProcStat(text: string): ProcStatCpu | undefined {
  const cpu = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  const btime = /^btime\s+(\d+)$/m.exec(text)?.[1];
  if (!cpu || cpu.length < 7 || btime === undefined) {
    return undefined;
  }
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = cpu;
  const ticks = user + nice + system + irq + softirq;
  return {
    usageCoreNanoSeconds: ticks * (1e9 / TICKS_PER_SECOND),
    bootTime: new Date(Number(btime) * 1000),
  };
}

function kib(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)\\s*kB$`, 'm').exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

function vmstatValue(text: string, key: string): number | undefined {
  const v = new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1];
  return v === undefined ? undefined : Number(v);
}

/**
 * Node memory from /proc/meminfo (and page faults from /proc/vmstat). The root memory cgroup's
 * usage is file pages plus mapped anonymous pages, so usage = AnonPages + Cached + Buffers +
 * SwapCached; the working set takes Inactive(file) off, rss is AnonPages, and the limit is
 * MemTotal (cAdvisor's root container is limited by the machine's memory).
 */
export function parseMeminfo(meminfo: string, vmstat = ''): MemoryReading | undefined {
  const total = kib(meminfo, 'MemTotal');
  const anon = kib(meminfo, 'AnonPages');
  if (total === undefined || anon === undefined) {
    return undefined;
  }
  const usage =
    anon +
    (kib(meminfo, 'Cached') ?? 0) +
    (kib(meminfo, 'Buffers') ?? 0) +
    (kib(meminfo, 'SwapCached') ?? 0);
  const inactiveFile = kib(meminfo, 'Inactive(file)') ?? 0;
  return {
    usageBytes: usage,
    workingSetBytes: Math.max(0, usage - inactiveFile),
    rssBytes: anon,
    pageFaults: vmstatValue(vmstat, 'pgfault'),
    majorPageFaults: vmstatValue(vmstat, 'pgmajfault'),
    limitBytes: total,
  };
}

/** Reads the node now; `now` stamps the reading right after the CPU counter is read. */
export async function readNode(now: () => Date): Promise<Reading> {
  const stat = await readFile('/proc/stat', 'utf8');
  const timestamp = now();
  const [meminfo, vmstat] = await Promise.all([
    readFile('/proc/meminfo', 'utf8'),
    readFile('/proc/vmstat', 'utf8'),
  ]);
  const cpu = parseProcStat(stat);
  const memory = parseMeminfo(meminfo, vmstat);
  if (!cpu || !memory) {
    throw new Error('unexpected /proc/stat or /proc/meminfo format');
  }
  return {
    timestamp,
    startTime: cpu.bootTime,
    usageCoreNanoSeconds: cpu.usageCoreNanoSeconds,
    memory,
  };
}
