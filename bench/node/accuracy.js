// Phase 4 of the node benchmark: how close the CPU the node reports (stats/summary, read with
// `kubectl get --raw`) is to what the container's processes really used (utime + stime of its
// process tree in /proc), for apps burning a known fraction of a core at the same time.
import { sleep } from '../api/processes.js';
import { nowMs, round } from '../api/stats.js';
import { allOf } from '../controllers/rollout.js';
import { containerState, create, isRunning, podBody, remove } from './pods.js';
import { machineLoad, treeCpuSeconds } from './proc.js';

/** The summary's first-container CPU of each named pod: name -> { usageNanoCores, counter }. */
function readSummary(ctx, names) {
  const text = ctx.kubectl(['get', '--raw', `/api/v1/nodes/${ctx.nodeName}/proxy/stats/summary`]);
  const out = new Map();
  for (const pod of JSON.parse(text).pods ?? []) {
    const cpu = pod.containers?.[0]?.cpu;
    if (names.includes(pod.podRef.name) && cpu?.usageNanoCores !== undefined) {
      out.set(pod.podRef.name, {
        nanoCores: cpu.usageNanoCores,
        counter: cpu.usageCoreNanoSeconds,
      });
    }
  }
  return out;
}

/** Starts one pod per burn level and waits until each runs and the summary has a rate for it. */
async function startBurners(ctx, burns) {
  const names = burns.map((b) => `burn-${String(b).replace('.', '')}`);
  const running = Object.fromEntries(
    names.map((n) => [n, ctx.pods.waitFor((c) => isRunning(c.objects.get(n)), `${n} running`)]),
  );
  for (const [i, name] of names.entries()) {
    const body = podBody(name, { args: ['--no-listen', '--burn', String(burns[i])] });
    await create(ctx, `/api/v1/namespaces/${ctx.namespace}/pods`, body);
  }
  await allOf(running);
  // Two sampler readings make the first rate: allow for a slower --metric-resolution too.
  const deadline = nowMs() + 60_000;
  while (readSummary(ctx, names).size < names.length) {
    if (nowMs() > deadline) {
      throw new Error(`no CPU rate in stats/summary for ${names.join(', ')} within 60 s`);
    }
    await sleep(500);
  }
  return names;
}

/** Reported (mean of the summary's rates) against measured (/proc tree) CPU of one container. */
function compare(pod, burnTargetCores, ratesNanoCores, measured) {
  const rates = ratesNanoCores.map((n) => n / 1e9);
  const reported = rates.reduce((a, b) => a + b, 0) / rates.length;
  return {
    pod,
    burnTargetCores,
    measuredFromProcCores: round(measured, 4),
    // Below 100 the machine did not give the app what it asked for (contention).
    measuredOfTargetPercent: round((100 * measured) / burnTargetCores, 1),
    reportedMeanUsageCores: round(reported, 4),
    errorPercent: round((100 * (reported - measured)) / measured, 1),
    withinTenPercent: Math.abs(reported - measured) <= 0.1 * measured,
    reportedSamples: rates.length,
    reportedMinCores: round(Math.min(...rates), 4),
    reportedMaxCores: round(Math.max(...rates), 4),
  };
}

/** Polls the summary about once a second for `seconds`: name -> distinct usageNanoCores readings. */
async function pollRates(ctx, names, seconds) {
  const samples = new Map(names.map((n) => [n, new Map()]));
  const t0 = nowMs();
  while (nowMs() - t0 < seconds * 1000) {
    const polled = nowMs();
    for (const [name, s] of readSummary(ctx, names)) {
      // One entry per sampler reading: a repeated counter is the same reading served again.
      samples.get(name).set(s.counter, s.nanoCores);
    }
    await sleep(Math.max(0, 1000 - (nowMs() - polled)));
  }
  return new Map(names.map((n) => [n, [...samples.get(n).values()]]));
}

/**
 * Runs pods burning each of `burns` cores at once; after `settleSeconds`, polls the summary
 * for `seconds` and compares the mean reported rate with the /proc measurement of the window.
 */
export async function cpuAccuracy(ctx, { burns, seconds, settleSeconds }) {
  const names = await startBurners(ctx, burns);
  // The app's start-up CPU must not fall into the compared window.
  await sleep(settleSeconds * 1000);
  const roots = names.map((n) => containerState(ctx.dataDir, ctx.pods.objects.get(n), 0).rootPid);
  const machineBefore = machineLoad();
  const t0 = nowMs();
  const before = roots.map((pid) => treeCpuSeconds(pid));
  const rates = await pollRates(ctx, names, seconds);
  const after = roots.map((pid) => treeCpuSeconds(pid));
  const wallSeconds = (nowMs() - t0) / 1000;
  const containers = names.map((name, i) => ({
    ...compare(
      name,
      burns[i],
      rates.get(name),
      (after[i].seconds - before[i].seconds) / wallSeconds,
    ),
    processesInTree: after[i].processes,
  }));
  for (const name of names) {
    await remove(ctx, `/api/v1/namespaces/${ctx.namespace}/pods/${name}`);
  }
  await ctx.pods.waitFor((c) => names.every((n) => !c.objects.has(n)), 'burners gone', 60_000);
  return {
    windowSeconds: round(wallSeconds, 1),
    containers,
    allWithinTenPercent: containers.every((c) => c.withinTenPercent),
    machineBefore,
    machineAfter: machineLoad(),
  };
}
