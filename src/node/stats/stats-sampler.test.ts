// The sampler against real processes: a cgroup (when this machine lets us create one) and the
// /proc fallback. The burner is the fixture app; rates are checked against the process's own
// /proc CPU time over the same window, so a loaded machine slows both sides alike.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitsFor } from '../runtime/cgroup-limits.js';
import { CgroupManager, detectCgroups } from '../runtime/cgroups.js';
import type { AvailableCgroups } from '../runtime/cgroups.js';
import { readAllProcStats, treePids } from '../runtime/stats.js';
import { StatsSampler } from './stats-sampler.js';
import type { SampledContainer } from './stats-sampler.js';

const APP = fileURLToPath(new URL('../../../test/fixtures/app/app.mjs', import.meta.url));
const MiB = 1024 * 1024;
const WINDOW_MS = 2000;

interface Proc {
  pid: number;
  startedAt: Date;
  exited: Promise<void>;
}

const started: Proc[] = [];

// Plain detached processes (their own process group), so these tests do not depend on the
// container runtime; a cgroup is joined with ContainerCgroup.addProcess as the runtime would.
async function run(command: string[]): Promise<Proc> {
  const [file = '', ...args] = command;
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const p = { pid: child.pid ?? 0, startedAt: new Date(), exited };
  started.push(p);
  return p;
}

async function kill(p: Proc): Promise<void> {
  try {
    process.kill(-p.pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
  await p.exited;
}

afterAll(async () => {
  for (const p of started.splice(0)) {
    await kill(p);
  }
});

/** utime + stime of a process (or its whole tree) from /proc, in ns (10 ms ticks). */
async function cpuNs(rootPid: number, tree: boolean): Promise<number> {
  const pids = tree ? treePids(await readAllProcStats(), rootPid) : [rootPid];
  let ticks = 0;
  for (const pid of pids) {
    const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 1e7;
}

/**
 * Samples twice WINDOW_MS apart; returns the container's sample and the /proc rates of the root
 * process alone and of its tree over the same window (the wait is the window, not an assertion).
 */
async function measure(sampler: StatsSampler, rootPid: number, podUid: string, name: string) {
  const read = async () => ({
    tree: await cpuNs(rootPid, true),
    root: await cpuNs(rootPid, false),
    atMs: Date.now(),
  });
  await sampler.sampleNow();
  const a = await read();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  await sampler.sampleNow();
  const b = await read();
  const rate = (from: number, to: number) => ((to - from) * 1000) / (b.atMs - a.atMs);
  return {
    stats: sampler.containerStats(podUid, name),
    treeNanoCores: rate(a.tree, b.tree),
    rootNanoCores: rate(a.root, b.root),
  };
}

function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`no ${what}`);
  }
  return value;
}

function expectClose(got: number | undefined, want: number): void {
  // 10% of the value plus 0.05 core: tick rounding and the two windows' small offsets.
  expect(got).toBeDefined();
  expect(Math.abs((got ?? 0) - want)).toBeLessThan(0.1 * want + 0.05e9);
}

const entry = (c: Proc, name: string, extra: Partial<SampledContainer> = {}) => ({
  namespace: 'ns',
  pod: 'web',
  podUid: 'pod-1',
  container: name,
  startTime: c.startedAt,
  pid: c.pid,
  ...extra,
});

describe('StatsSampler from /proc', () => {
  it('reports a process tree: parent and child cpu, rss, restarts and removal', async () => {
    const node = `"${process.execPath}" "${APP}" --no-listen`;
    const c = await run([
      'sh',
      '-c',
      `${node} --burn 0.2 --alloc 32 & exec ${node} --burn 0.3 --alloc 32`,
    ]);
    let list: SampledContainer[] = [entry(c, 'tree')];
    const sampler = new StatsSampler({ resolutionMs: 1000, list: () => list });
    await expect
      .poll(
        async () => {
          await sampler.sampleNow();
          return sampler.containerStats('pod-1', 'tree')?.memory.rssBytes ?? 0;
        },
        { timeout: 15_000, message: 'two node processes with 32 MiB each (one is about 90 MiB)' },
      )
      .toBeGreaterThan(128 * MiB);
    const { stats, treeNanoCores, rootNanoCores } = await measure(sampler, c.pid, 'pod-1', 'tree');
    expect(stats).toMatchObject({ source: 'proc', namespace: 'ns', pod: 'web' });
    expect(stats?.windowMs).toBeGreaterThanOrEqual(WINDOW_MS - 100);
    expectClose(stats?.usageNanoCores, treeNanoCores);
    // The child burns 0.2 core next to the root's 0.3: however starved, it adds at least 2/3.
    expect(treeNanoCores).toBeGreaterThan(1.5 * rootNanoCores);
    expect(stats?.usageNanoCores).toBeGreaterThan(0.05e9);
    expect(stats?.usageNanoCores).toBeLessThan(0.6e9);
    expect(sampler.podStats('pod-1')?.usageNanoCores).toBe(stats?.usageNanoCores);

    list = [entry(c, 'tree', { startTime: new Date(c.startedAt.getTime() + 1) })];
    await sampler.sampleNow();
    expect(sampler.containerStats('pod-1', 'tree')?.usageNanoCores).toBeUndefined();

    list = [];
    await sampler.sampleNow();
    expect(sampler.containerStats('pod-1', 'tree')).toBeUndefined();
    expect(sampler.podStats('pod-1')).toBeUndefined();
  });

  it('samples on its own timer until aborted, and forgets an exited process', async () => {
    const c = await run([process.execPath, APP, '--no-listen', '--burn', '0.1']);
    const sampler = new StatsSampler({ resolutionMs: 200, list: () => [entry(c, 'short')] });
    const ac = new AbortController();
    sampler.start(ac.signal);
    try {
      await expect
        .poll(() => sampler.containerStats('pod-1', 'short')?.usageNanoCores, {
          timeout: 10_000,
          message: 'a rate from two timed samples',
        })
        .toBeDefined();
      expect(sampler.nodeStats()?.usageNanoCores).toBeDefined();
      await kill(c);
      await expect
        .poll(() => sampler.containerStats('pod-1', 'short'), {
          timeout: 10_000,
          message: 'the exited process to be forgotten',
        })
        .toBeUndefined();
    } finally {
      ac.abort();
    }
  });
});

// Real cgroups: this machine (root, v1) has them; elsewhere these skip.
const support = await detectCgroups();
describe.runIf(support.available)('StatsSampler with a real cgroup', () => {
  const root = `kubepods-stats-test-${randomBytes(4).toString('hex')}`;
  let manager: CgroupManager;

  beforeAll(() => {
    manager = new CgroupManager(support as AvailableCgroups, { root });
  });

  afterAll(async () => {
    for (const p of started.splice(0)) {
      await kill(p);
    }
    await manager.removeRoot();
  });

  it('reports cpu rate, working set, rss and available memory; node and summary too', async () => {
    const cg = await manager.createContainer({
      qos: 'Burstable',
      podUid: 'pod-2',
      container: 'burn',
      limits: limitsFor({ limits: { memory: '512Mi' } }),
    });
    // The shell joins the cgroup before it execs node, so all of node's memory is charged.
    const app = `exec "${process.execPath}" "${APP}" --no-listen --burn 0.5 --alloc 64`;
    const c = await run(['sh', '-c', `sleep 0.5; ${app}`]);
    await cg.addProcess(c.pid);
    let list: SampledContainer[] = [
      entry(c, 'burn', { podUid: 'pod-2', cgroup: cg, pid: undefined }),
    ];
    const sampler = new StatsSampler({ resolutionMs: 1000, list: () => list });
    await expect
      .poll(
        async () => {
          await sampler.sampleNow();
          return sampler.containerStats('pod-2', 'burn')?.memory.rssBytes ?? 0;
        },
        { timeout: 15_000, message: 'the 64 MiB allocation charged to the cgroup' },
      )
      .toBeGreaterThan(64 * MiB);
    const measured = await measure(sampler, c.pid, 'pod-2', 'burn');
    const stats = defined(measured.stats, 'container stats');
    expect(stats.source).toBe('cgroup');
    expectClose(stats.usageNanoCores, measured.treeNanoCores);
    expect(stats.usageNanoCores).toBeGreaterThan(0.05e9);
    expect(stats.usageNanoCores).toBeLessThan(0.6e9);
    const mem = stats.memory;
    expect(mem.workingSetBytes).toBeGreaterThan(64 * MiB);
    expect(mem.workingSetBytes).toBeLessThanOrEqual(mem.usageBytes);
    expect(mem.availableBytes).toBe(512 * MiB - mem.workingSetBytes);

    const node = defined(sampler.nodeStats(), 'node stats');
    expect(node.usageNanoCores).toBeGreaterThan(0.8 * (stats.usageNanoCores ?? 0));
    const summary = sampler.summary('node-a');
    expect(summary.node).toMatchObject({
      nodeName: 'node-a',
      cpu: { usageNanoCores: node.usageNanoCores },
    });
    expect(summary.pods).toEqual([
      expect.objectContaining({
        podRef: { name: 'web', namespace: 'ns', uid: 'pod-2' },
        containers: [expect.objectContaining({ name: 'burn' })],
        cpu: expect.objectContaining({ usageNanoCores: stats.usageNanoCores }),
      }),
    ]);

    list = [];
    await sampler.sampleNow();
    expect(sampler.summary('node-a').pods).toEqual([]);
  });
});
