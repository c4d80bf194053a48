import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcStat } from './container-state.js';
import { parseProcStat } from './container-state.js';
import { killGroup, startContainer } from './process-runtime.js';
import { processTreeStats, treePids } from './stats.js';

const proc = (pid: number, ppid: number, pgid: number): ProcStat => ({
  pid,
  ppid,
  pgid,
  state: 'S',
  utimeTicks: 0,
  stimeTicks: 0,
  startTimeTicks: 0,
  rssPages: 0,
});

describe('treePids', () => {
  it.each([
    {
      name: 'descendants',
      all: [proc(10, 1, 10), proc(11, 10, 10), proc(12, 11, 12), proc(13, 1, 13)],
      want: [10, 11, 12],
    },
    {
      name: 'group members reparented to init',
      all: [proc(20, 1, 10), proc(21, 20, 21)],
      want: [20, 21],
    },
    { name: 'nothing for a gone root', all: [proc(30, 1, 30)], want: [] },
  ])('finds $name', ({ all, want }) => expect(treePids(all, 10)).toEqual(want));
});

it('parses /proc/<pid>/stat with spaces and parentheses in the name', () => {
  const text = '42 (a b) c) S 7 42 42 0 -1 0 0 0 0 0 150 25 0 0 20 0 1 0 9999 1000 321 x';
  expect(parseProcStat(text)).toMatchObject({
    pid: 42,
    state: 'S',
    ppid: 7,
    pgid: 42,
    utimeTicks: 150,
    stimeTicks: 25,
    startTimeTicks: 9999,
    rssPages: 321,
  });
});

it('reads cpu and rss of a real process tree', async () => {
  const podDir = await mkdtemp(path.join(tmpdir(), 'kubeproc-stats-'));
  const c = await startContainer({
    name: 'busy',
    podDir,
    restartCount: 0,
    command: ['sh', '-c', 'sleep 30 & while :; do :; done'],
  });
  try {
    await expect
      .poll(async () => (await processTreeStats(c.pid)).pids.length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => (await processTreeStats(c.pid)).cpuUsageNs, {
        timeout: 5000,
        message: 'cpu time',
      })
      .toBeGreaterThan(1e8);
    expect((await processTreeStats(c.pid)).rssBytes).toBeGreaterThan(100 * 1024);
  } finally {
    killGroup(c.pid, 'SIGKILL');
    await c.wait();
    await rm(podDir, { recursive: true, force: true });
  }
});
