// The kubeproc process under test: started with a fresh data dir and its own kubeconfig, and
// read from /proc (CPU ticks, RSS) by PID. Stopping it removes the temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, memoryMb, sleep, spawnTracked, waitReady } from '../api/processes.js';
import { nowMs, round } from '../api/stats.js';
import { call } from './client.js';

// BENCH_KUBEPROC_BIN points at another build (e.g. a second checkout) to compare.
const BIN =
  process.env.BENCH_KUBEPROC_BIN ??
  fileURLToPath(new URL('../../bin/kubeproc.js', import.meta.url));

/**
 * Starts `kubeproc up` on a free loopback port. Resolves once GET /version answers 200 and the
 * banner (printed after the kubeconfig is written) appeared: { pid, url, kubeconfig, stop() }.
 */
export async function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-bench-ctl-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  let banner;
  const bannerSeen = new Promise((r) => (banner = r));
  // Extra node flags for diagnosis, e.g. BENCH_KUBEPROC_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUBEPROC_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, BIN, 'up', '--data-dir', join(dir, 'data')];
  args.push('--api-port', String(port), '--kubeconfig', kubeconfig);
  const tracked = spawnTracked(process.execPath, args, {
    onStdout: (text) => text.includes('API listening on') && banner(),
  });
  const stop = async () => {
    const exit = await tracked.stop();
    rmSync(dir, { recursive: true, force: true });
    return exit;
  };
  try {
    await waitReady(tracked, `${url}/version`);
    await Promise.race([bannerSeen, sleep(10_000)]);
    return { pid: tracked.pid, url, kubeconfig, stop, tracked };
  } catch (e) {
    await stop();
    throw e;
  }
}

function clockTicksPerSecond() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
const TICKS = clockTicksPerSecond();

/** utime+stime of the whole process (all threads) in CPU seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * Starts a CPU meter on pid: end() returns CPU seconds used, wall seconds, the average
 * percentage of one core, the busiest 1 s sample, and RSS at the end.
 */
export function cpuMeter(pid) {
  const startWall = nowMs();
  const startCpu = cpuSeconds(pid);
  const samples = [];
  let last = { wall: startWall, cpu: startCpu };
  const timer = setInterval(() => {
    const now = { wall: nowMs(), cpu: cpuSeconds(pid) };
    samples.push((100 * (now.cpu - last.cpu)) / ((now.wall - last.wall) / 1000));
    last = now;
  }, 1000);
  return {
    end() {
      clearInterval(timer);
      const wallSeconds = (nowMs() - startWall) / 1000;
      const used = cpuSeconds(pid) - startCpu;
      return {
        wallSeconds: round(wallSeconds, 2),
        cpuSeconds: round(used, 2),
        cpuPercentOfOneCore: round((100 * used) / wallSeconds, 1),
        busiest1sPercent: samples.length ? round(Math.max(...samples), 1) : null,
        clockTicksPerSecond: TICKS,
        ...memoryMb(pid),
      };
    },
  };
}

/** The store's current revision: it grows by one with every write (create, update, delete). */
export async function storeRevision(ctx) {
  const { json } = await call(ctx.url, { path: '/api/v1/namespaces?limit=1', agent: ctx.agent });
  return Number(json.metadata.resourceVersion);
}

/**
 * Runs fn and adds what kubeproc did meanwhile: `storeWrites` (every object written, Events
 * included), `kubeproc` (CPU, RSS), `apiLatency` (GET /version answered during fn), and the
 * CPU of this bench process.
 */
export async function metered(ctx, fn) {
  const rv = await storeRevision(ctx);
  const cpu = cpuMeter(ctx.pid);
  const api = ctx.probe.window();
  const own = { cpu: process.cpuUsage(), wall: nowMs() };
  const result = await fn();
  const kubeproc = cpu.end();
  const apiLatency = api.end();
  const used = process.cpuUsage(own.cpu);
  // The bench process (observer, FakeKubelet, probe) shares the machine; if it nears 100 % of
  // a core, the timings above are client-bound.
  const benchProcessCpuPercent = round(
    (100 * (used.user + used.system)) / 1000 / (nowMs() - own.wall),
    1,
  );
  const storeWrites = (await storeRevision(ctx)) - rv;
  return { ...result, storeWrites, kubeproc, apiLatency, benchProcessCpuPercent };
}

/** Events in the namespace: objects, summed counts, objects per reason, first warnings. */
export async function eventSummary(ctx) {
  const { json } = await call(ctx.url, {
    path: `/api/v1/namespaces/${ctx.namespace}/events`,
    agent: ctx.agent,
  });
  const byReason = {};
  const warnings = [];
  let counted = 0;
  for (const e of json.items) {
    byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    counted += e.count ?? 1;
    if (e.type === 'Warning' && warnings.length < 5) {
      warnings.push(`${e.involvedObject?.name}: ${e.reason}: ${e.message}`);
    }
  }
  return { objects: json.items.length, summedCount: counted, byReason, warnings };
}
