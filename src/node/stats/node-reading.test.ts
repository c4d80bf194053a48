import { describe, expect, it } from 'vitest';
import { parseMeminfo, parseProcStat, readNode } from './node-reading.js';

const STAT = `cpu  839300 5 102002 761388 4064 7 3820 508 0 0
cpu0 419650 2 51001 380694 2032 3 1910 254 0 0
intr 1 2 3
btime 1795307718
processes 9`;

const MEMINFO = `MemTotal:       24684096 kB
MemFree:        22923140 kB
Buffers:           41752 kB
Cached:          1016104 kB
SwapCached:            8 kB
Inactive(file):   377772 kB
AnonPages:        403360 kB
`;

describe('parseProcStat', () => {
  it('sums user, nice, system, irq and softirq ticks, not idle, iowait or steal', () => {
    expect(parseProcStat(STAT)).toEqual({
      usageCoreNanoSeconds: (839300 + 5 + 102002 + 7 + 3820) * 1e7,
      bootTime: new Date(1795307718 * 1000),
    });
  });

  it.each(['', 'cpu 1 2\nbtime 5', 'cpu 1 2 3 4 5 6 7 8'])('rejects %j', (text) =>
    expect(parseProcStat(text)).toBeUndefined(),
  );
});

describe('parseMeminfo', () => {
  it('matches the root memory cgroup: anon + file pages, minus inactive file', () => {
    const usage = (403360 + 1016104 + 41752 + 8) * 1024;
    expect(parseMeminfo(MEMINFO, 'pgfault 100\npgmajfault 3\n')).toEqual({
      usageBytes: usage,
      workingSetBytes: usage - 377772 * 1024,
      rssBytes: 403360 * 1024,
      pageFaults: 100,
      majorPageFaults: 3,
      limitBytes: 24684096 * 1024,
    });
  });

  it('needs MemTotal and AnonPages', () => {
    expect(parseMeminfo('MemTotal: 5 kB\n')).toBeUndefined();
  });
});

it('reads this machine', async () => {
  const n = await readNode(() => new Date());
  expect(n.usageCoreNanoSeconds).toBeGreaterThan(0);
  expect(n.startTime.getTime()).toBeLessThan(Date.now());
  expect(n.memory.workingSetBytes).toBeLessThanOrEqual(n.memory.usageBytes);
  expect(n.memory.usageBytes).toBeLessThan(n.memory.limitBytes ?? 0);
});
