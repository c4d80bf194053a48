// One reading of a container's cgroup, as cAdvisor takes it: the CPU counter (stamped as soon as
// it is read), memory usage, working set, rss, page faults and the memory limit; v1 and v2.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerCgroup } from '../runtime/cgroups.js';
import { keyedValue } from '../runtime/cgroup-fs.js';
import type { MemoryReading, Reading } from './usage-rate.js';

// The kubelet treats limits above 2^62 as "no limit": v1 writes -1 as the largest page multiple.
const UNLIMITED_ABOVE = 2 ** 62;

async function readNumber(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).trim());
}

function limitOf(text: string): number | undefined {
  const v = text.trim();
  return v === 'max' || v === '' || Number(v) > UNLIMITED_ABOVE ? undefined : Number(v);
}

/** Memory figures from memory.stat text and the usage and limit files (keys differ by version). */
export function cgroupMemory(
  version: 1 | 2,
  stat: string,
  usageBytes: number,
  limit: string,
): MemoryReading {
  // v1 reads the hierarchical total_* keys, as cAdvisor does for use_hierarchy cgroups.
  const key = (v1: string, v2: string): string => (version === 1 ? v1 : v2);
  const inactiveFile = keyedValue(stat, key('total_inactive_file', 'inactive_file')) ?? 0;
  return {
    usageBytes,
    workingSetBytes: Math.max(0, usageBytes - inactiveFile),
    rssBytes: keyedValue(stat, key('total_rss', 'anon')) ?? 0,
    pageFaults: keyedValue(stat, 'pgfault'),
    majorPageFaults: keyedValue(stat, 'pgmajfault'),
    limitBytes: limitOf(limit),
  };
}

/**
 * Reads a container cgroup now. Rejects (ENOENT) when the cgroup is gone, so the sampler can
 * forget it instead of recording zeros.
 */
export async function readCgroup(
  cg: ContainerCgroup,
  startTime: Date,
  now: () => Date,
): Promise<Reading> {
  const v1 = cg.support.version === 1;
  const cpuNs = v1
    ? await readNumber(path.join(cg.dir('cpuacct'), 'cpuacct.usage'))
    : (keyedValue(await readFile(path.join(cg.dir('cpu'), 'cpu.stat'), 'utf8'), 'usage_usec') ??
        0) * 1000;
  const timestamp = now();
  const mem = cg.dir('memory');
  const [usage, stat, limit] = await Promise.all([
    readNumber(path.join(mem, v1 ? 'memory.usage_in_bytes' : 'memory.current')),
    readFile(path.join(mem, 'memory.stat'), 'utf8'),
    readFile(path.join(mem, v1 ? 'memory.limit_in_bytes' : 'memory.max'), 'utf8'),
  ]);
  return {
    timestamp,
    startTime,
    usageCoreNanoSeconds: cpuNs,
    memory: cgroupMemory(cg.support.version, stat, usage, limit),
  };
}
