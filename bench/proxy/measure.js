// The measured part of the proxy benchmark: a warm-up per target, then rounds that run every
// target in turn (the order reversed each round, so neither proxy always follows the other), each
// run with the CPU of the proxy, the backends and the machine; then medians and ratios to nginx.
import { sleep } from '../api/processes.js';
import { median, round } from '../api/stats.js';
import { machineLoad } from '../node/proc.js';
import { cpuMeter } from './cpu.js';
import { runWrk } from './wrk.js';

/** One wrk run against a target, with the CPU its processes used meanwhile. */
async function measureOnce(target, { seconds, connections, threads }) {
  const meter = cpuMeter(target.cpu);
  const wrk = await runWrk({
    url: target.url,
    seconds,
    connections,
    threads,
    script: target.script,
  });
  return { ...wrk, cpu: meter(), loadavg1m: machineLoad().loadavg1m };
}

/** The run order of round r (0-based): as given on even rounds, reversed on odd ones. */
export function roundOrder(targets, r) {
  return r % 2 === 0 ? [...targets] : [...targets].reverse();
}

/** Warm-up, then `rounds` rounds over every target; resolves with name -> runs. */
export async function measureTargets(targets, sizes, log) {
  const load = { connections: sizes.connections, threads: sizes.threads };
  for (const t of targets) {
    log(`warm-up: ${t.name} for ${sizes.warmupSeconds} s`);
    await runWrk({ ...load, url: t.url, seconds: sizes.warmupSeconds, script: t.script });
  }
  const runs = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let r = 0; r < sizes.rounds; r++) {
    for (const t of roundOrder(targets, r)) {
      await sleep(sizes.pauseMs);
      const run = await measureOnce(t, { ...load, seconds: sizes.seconds });
      const errors = Object.values(run.errors).reduce((a, b) => a + b, 0);
      log(
        `round ${r + 1}/${sizes.rounds} ${t.name}: ${run.requestsPerSec} req/s, p50 ` +
          `${run.latency.p50Ms} ms, p99 ${run.latency.p99Ms} ms, errors ${errors}`,
      );
      runs[t.name].push({ round: r + 1, ...run });
    }
  }
  return runs;
}

const med = (runs, pick, digits = 3) => round(median(runs.map(pick)), digits);

/** The median figures of one target's runs (each field's own median). */
export function summarizeRuns(runs) {
  const cpuKeys = Object.keys(runs[0]?.cpu ?? {});
  return {
    requestsPerSec: med(runs, (r) => r.requestsPerSec, 0),
    p50Ms: med(runs, (r) => r.latency.p50Ms),
    p90Ms: med(runs, (r) => r.latency.p90Ms),
    p99Ms: med(runs, (r) => r.latency.p99Ms),
    maxMs: med(runs, (r) => r.latency.maxMs),
    errors: runs.reduce((n, r) => n + Object.values(r.errors).reduce((a, b) => a + b, 0), 0),
    cpu: Object.fromEntries(cpuKeys.map((k) => [k, med(runs, (r) => r.cpu[k], 2)])),
    wrkCores: med(runs, (r) => r.wrkCpuSeconds / r.seconds, 2),
    // CPU per request is what contention changes least: the proxy's cost, not its share.
    ...(cpuKeys.includes('proxyCores')
      ? { proxyCpuUsPerRequest: med(runs, (r) => (r.cpu.proxyCores * 1e6) / r.requestsPerSec, 0) }
      : {}),
  };
}

/** kubeproc against one nginx variant: ratios of the medians and of each round's pair. */
export function compare(kubeproc, nginx, runsK, runsN) {
  const pairs = runsK.map((k, i) => ({
    round: k.round,
    throughputRatio: round(k.requestsPerSec / runsN[i].requestsPerSec, 3),
    p99Ratio: round(k.latency.p99Ms / runsN[i].latency.p99Ms, 3),
  }));
  const throughputRatio = round(kubeproc.requestsPerSec / nginx.requestsPerSec, 3);
  const p99Ratio = round(kubeproc.p99Ms / nginx.p99Ms, 3);
  const p50Ratio = round(kubeproc.p50Ms / nginx.p50Ms, 3);
  const cpuPerRequestRatio = round(kubeproc.proxyCpuUsPerRequest / nginx.proxyCpuUsPerRequest, 2);
  return {
    throughputRatio,
    p50Ratio,
    p99Ratio,
    cpuPerRequestRatio,
    perRound: pairs,
    isThroughputTargetMet: throughputRatio >= 0.5,
    isP99TargetMet: p99Ratio <= 2,
    isTargetMet: throughputRatio >= 0.5 && p99Ratio <= 2,
  };
}
