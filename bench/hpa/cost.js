// Controller cost: N Deployments of one `sleep` pod each, kubeproc's CPU over a window without
// their HPAs, with N HPAs (one per Deployment, every sync on the full metric path), and without
// them again; the difference divided by the syncs the period implies. A canary HPA, present in
// every window, is re-specified every few seconds to time how long a queued HPA waits.
import { sleep } from '../api/processes.js';
import { median, nowMs, percentile, round } from '../api/stats.js';
import { call, mergePatch } from '../controllers/client.js';
import { cpuMeter, storeRevision } from '../controllers/cluster.js';
import { isReady } from '../node/pods.js';
import { hpaBody, sleepDeployment } from './workload.js';

const CANARY = 'canary';
const LOAD_LABEL = 'bench.kubeproc.io/load';

/** Runs fn(i) for i < n with at most `limit` in flight. */
async function bounded(n, limit, fn) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

const hpasPath = (ns) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`;
const current = (h) => h?.status?.currentMetrics?.[0]?.resource?.current;
const hasMetric = (h) => current(h)?.averageValue !== undefined;

/** The canary's target alternates between Utilization and AverageValue: both change status. */
function canaryMetrics(utilization) {
  const target = utilization
    ? { type: 'Utilization', averageUtilization: 50 }
    : { type: 'AverageValue', averageValue: '50m' };
  return [{ type: 'Resource', resource: { name: 'cpu', target } }];
}

/**
 * Re-specifies the canary every `everyS` until `until`: a spec change queues the HPA at once, so
 * PATCH -> status showing the new target's shape is the queue wait plus one sync.
 */
async function canaryProbes(ctx, everyS, until) {
  const latencies = [];
  let utilization = false;
  while (nowMs() + everyS * 1000 < until) {
    const started = nowMs();
    const want = utilization;
    const shaped = (c) => {
      const cur = current(c.objects.get(CANARY));
      return cur !== undefined && (cur.averageUtilization !== undefined) === want;
    };
    const seen = ctx.hpas.waitFor(shaped, 'canary status with its new target', 60_000);
    const path = `${hpasPath(ctx.namespace)}/${CANARY}`;
    await mergePatch(ctx.url, path, { spec: { metrics: canaryMetrics(want) } }, ctx.agent);
    latencies.push((await seen) - started);
    utilization = !utilization;
    await sleep(Math.max(0, everyS * 1000 - (nowMs() - started)));
  }
  return {
    n: latencies.length,
    p50Ms: round(percentile(latencies, 50), 1),
    p90Ms: round(percentile(latencies, 90), 1),
    maxMs: round(percentile(latencies, 100), 1),
  };
}

/** kubeproc's CPU, store writes and canary waits over one window of `seconds`. */
async function window(ctx, seconds, canaryEveryS) {
  const rv = await storeRevision(ctx);
  const meter = cpuMeter(ctx.pid);
  const until = nowMs() + seconds * 1000;
  const canary = await canaryProbes(ctx, canaryEveryS, until);
  await sleep(Math.max(0, until - nowMs()));
  const kubeproc = meter.end();
  return { kubeproc, storeWrites: (await storeRevision(ctx)) - rv, canaryPatchToStatus: canary };
}

/** Creates the N load Deployments and the canary's, and waits for every pod Ready. */
async function startPods(ctx, n, log) {
  const path = `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`;
  const t0 = nowMs();
  const names = [CANARY, ...Array.from({ length: n }, (_, i) => `load-${i}`)];
  await bounded(names.length, 8, (i) =>
    call(ctx.url, {
      method: 'POST',
      path,
      body: sleepDeployment(names[i], ctx.nodeName),
      agent: ctx.agent,
    }),
  );
  log(`cost: ${names.length} Deployments created; waiting for their pods`);
  const ready = (c) => [...c.objects.values()].filter((p) => isReady(p)).length >= names.length;
  const t = await ctx.pods.waitFor(ready, `${names.length} pods Ready`, 15 * 60_000);
  return { pods: names.length, createToAllReadyMs: round(t - t0, 0) };
}

/** Waits until metrics.k8s.io lists a PodMetrics for every pod. */
async function allPodMetrics(ctx, count, timeoutMs) {
  const deadline = nowMs() + timeoutMs;
  const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${ctx.namespace}/pods`;
  while (nowMs() < deadline) {
    const { json } = await call(ctx.url, { path, agent: ctx.agent });
    if (json.items.length >= count) {
      return;
    }
    await sleep(1000);
  }
  throw new Error(`metrics.k8s.io did not list ${count} pods within ${timeoutMs} ms`);
}

/** Creates the N load HPAs; returns when every one has a CPU metric in its status. */
async function createHpas(ctx, n) {
  const t0 = nowMs();
  await bounded(n, 8, (i) => {
    const body = hpaBody(`load-${i}`, { min: 1, max: 2 });
    body.metadata.labels = { [LOAD_LABEL]: 'true' };
    return call(ctx.url, { method: 'POST', path: hpasPath(ctx.namespace), body, agent: ctx.agent });
  });
  const created = nowMs();
  const synced = (c) => [...c.objects.values()].filter(hasMetric).length >= n + 1;
  const t = await ctx.hpas.waitFor(synced, `${n} HPAs with a CPU metric`, 5 * 60_000);
  const active = [...ctx.hpas.objects.values()].filter((h) =>
    h.status?.conditions?.some((c) => c.type === 'ScalingActive' && c.status === 'True'),
  ).length;
  return {
    postAllMs: round(created - t0, 0),
    firstPostToAllWithMetricMs: round(t - t0, 0),
    withScalingActiveTrue: active - 1,
  };
}

/** Deletes the N load HPAs (the canary stays) and waits until the watch saw them go. */
async function deleteHpas(ctx) {
  const path = `${hpasPath(ctx.namespace)}?labelSelector=${encodeURIComponent(`${LOAD_LABEL}=true`)}`;
  await call(ctx.url, { method: 'DELETE', path, agent: ctx.agent });
  await ctx.hpas.waitFor((c) => c.objects.size === 1, 'only the canary HPA left', 120_000);
}

/** The whole cost phase on a cluster started for it; cfg: { hpas, windowS, syncS, ... }. */
export async function controllerCost(ctx, given, log) {
  // A whole number of periods: every HPA then syncs exactly windowS / syncS times in a window.
  const periods = Math.max(1, Math.round(given.windowS / given.syncS));
  const cfg = { ...given, windowS: periods * given.syncS };
  const out = { hpas: cfg.hpas, syncPeriodS: cfg.syncS, windowS: cfg.windowS };
  out.startPods = await startPods(ctx, cfg.hpas, log);
  const path = hpasPath(ctx.namespace);
  await call(ctx.url, {
    method: 'POST',
    path,
    body: hpaBody(CANARY, { min: 1, max: 2 }),
    agent: ctx.agent,
  });
  await allPodMetrics(ctx, cfg.hpas + 1, 120_000);
  await ctx.hpas.waitFor((c) => hasMetric(c.objects.get(CANARY)), 'canary metric', 120_000);
  await sleep(cfg.settleS * 1000);
  log(`cost: window A, ${cfg.hpas} pods, canary HPA only (${cfg.windowS} s)`);
  out.withoutHpasBefore = await window(ctx, cfg.windowS, cfg.canaryEveryS);
  log(`cost: creating ${cfg.hpas} HPAs`);
  out.createHpas = await createHpas(ctx, cfg.hpas);
  await sleep(cfg.settleS * 1000);
  log(`cost: window B, ${cfg.hpas} HPAs syncing every ${cfg.syncS} s (${cfg.windowS} s)`);
  out.withHpas = await window(ctx, cfg.windowS, cfg.canaryEveryS);
  await deleteHpas(ctx);
  await sleep(cfg.settleS * 1000);
  log(`cost: window C, HPAs deleted (${cfg.windowS} s)`);
  out.withoutHpasAfter = await window(ctx, cfg.windowS, cfg.canaryEveryS);
  out.perSync = perSync(out, cfg);
  return out;
}

/** CPU per sync: (window B - mean of A and C) / the syncs N HPAs make in the window. */
function perSync(out, cfg) {
  const cpu = (w) => w.kubeproc.cpuSeconds / w.kubeproc.wallSeconds;
  const baseline = median([cpu(out.withoutHpasBefore), cpu(out.withoutHpasAfter)]);
  const extraCores = cpu(out.withHpas) - baseline;
  const syncsPerSecond = cfg.hpas / cfg.syncS;
  const perSyncMs = (1000 * extraCores) / syncsPerSecond;
  return {
    baselineCpuPercent: round(100 * baseline, 1),
    withHpasCpuPercent: round(100 * cpu(out.withHpas), 1),
    extraCpuPercent: round(100 * extraCores, 1),
    syncsPerSecondAssumed: round(syncsPerSecond, 1),
    syncsInWindowAssumed: round(syncsPerSecond * cfg.windowS, 0),
    cpuMsPerSync: round(perSyncMs, 3),
    impliedCpuPercentAtDefault15s: round((perSyncMs * cfg.hpas) / 15 / 10, 2),
  };
}
