// Reaction runs: a Deployment idle at 2 replicas under a fresh HPA (min 2, max 5, cpu 50 %); at t0
// the load starts on every ready pod; the watch times the scale decision (spec.replicas), the
// first new pod Ready, then, after the load stops, the scale-down back to the minimum.
import { sleep } from '../api/processes.js';
import { median, nowMs, round } from '../api/stats.js';
import { isReady } from '../node/pods.js';
import { machineLoad } from '../node/proc.js';
import { firstPoint, pollUtilization } from './metrics-poll.js';
import { startLoad } from './workload.js';

const APP = 'web';
const MIN = 2;
const MAX = 5;
const ms = (t, t0) => (t === undefined ? null : round(t - t0, 1));

const replicasOf = (c) => c.objects.get(APP)?.spec?.replicas;
const livePods = (c) =>
  [...c.objects.values()].filter(
    (p) => p.metadata.labels?.app === APP && !p.metadata.deletionTimestamp,
  );
const podsOfApp = (c) => [...c.objects.values()].filter((p) => p.metadata.labels?.app === APP);
const utilization = (hpa) =>
  hpa?.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization;

/** Records what the watches see during one run: replica changes, new pods, HPA status, events. */
function recorder(ctx, before, hpaName) {
  const rec = { scales: [], newPods: new Map(), hpa: [], events: [] };
  const offs = [
    ctx.deployments.on((type, d, old, t) => {
      if (d.metadata.name === APP && old && d.spec.replicas !== old.spec?.replicas) {
        rec.scales.push({ t, from: old.spec.replicas, to: d.spec.replicas });
      }
    }),
    ctx.pods.on((type, p, _old, t) => {
      const name = p.metadata.name;
      if (p.metadata.labels?.app !== APP || before.has(name)) {
        return;
      }
      const seen = rec.newPods.get(name) ?? { created: t };
      if (seen.ready === undefined && isReady(p)) {
        seen.ready = t;
      }
      rec.newPods.set(name, seen);
    }),
    ctx.hpas.on((type, h, _old, t) => {
      if (h.metadata.name === hpaName && h.status) {
        rec.hpa.push({ t, utilization: utilization(h), desired: h.status.desiredReplicas });
      }
    }),
    ctx.events.on((type, e, _old, t) => {
      if (e.reason === 'SuccessfulRescale' && e.involvedObject?.name === hpaName) {
        rec.events.push({ t, message: e.message, count: e.count });
      }
    }),
  ];
  rec.stop = () => offs.forEach((off) => off());
  return rec;
}

/**
 * Deletes the previous run's HPAs and creates HPA `name` on the Deployment with kubectl autoscale;
 * waits for its first CPU utilization. A new name per run gives the HPA a work-queue key of its
 * own: re-creating one name would keep the deleted HPA's pending requeue, i.e. its sync phase.
 */
async function freshHpa(ctx, name, timeoutMs) {
  const collection = `/apis/autoscaling/v2/namespaces/${ctx.namespace}/horizontalpodautoscalers`;
  for (const old of ctx.hpas.objects.keys()) {
    await ctx.remove(`${collection}/${old}`);
  }
  await ctx.hpas.waitFor((c) => c.objects.size === 0, 'old HPAs gone', 30_000);
  ctx.kubectl([
    ...['-n', ctx.namespace, 'autoscale', 'deployment', APP, `--name=${name}`],
    ...['--cpu-percent=50', `--min=${MIN}`, `--max=${MAX}`],
  ]);
  const created = nowMs();
  const valid = (c) => utilization(c.objects.get(name)) !== undefined;
  const t = await ctx.hpas.waitFor(valid, `HPA ${name} with a CPU utilization`, timeoutMs);
  return {
    createToValidMetricMs: ms(t, created),
    idleUtilization: utilization(ctx.hpas.objects.get(name)),
  };
}

/**
 * Starts the fixture's burner thread in every ready pod with a 0.1 s burn of 1 millicore: the
 * thread is created on the first /burn, and its start-up (tens of ms of CPU, more on a busy
 * machine) must not delay or inflate the load step.
 */
async function warmBurners(ctx) {
  const load = startLoad({ pods: ctx.pods, app: APP, cores: 0.001, seconds: 0.1 });
  await load.stop();
}

/** Waits until the Deployment is back to exactly MIN ready pods with none terminating. */
function settled(ctx, timeoutMs) {
  return ctx.pods.waitFor(
    (c) =>
      replicasOf(ctx.deployments) === MIN &&
      podsOfApp(c).length === MIN &&
      livePods(c).every(isReady),
    `${MIN} ready ${APP} pods and nothing terminating`,
    timeoutMs,
  );
}

/** One run: fresh HPA, random phase, load until the decided pods are Ready, then load off. */
async function oneRun(ctx, cfg, log) {
  const { R, S, timeoutMs } = cfg;
  await settled(ctx, timeoutMs);
  await warmBurners(ctx);
  // With 1 s windows a new thread's start-up alone could read as ~100 % of a 100m request.
  await sleep(3000);
  // Random phases: the HPA's sync phase is set by its creation, t0's by the second wait.
  await sleep(Math.random() * Math.max(R, S) * 1000);
  const hpaName = `${APP}-${cfg.run}`;
  const hpa = await freshHpa(ctx, hpaName, timeoutMs);
  await sleep(Math.random() * Math.max(R, S) * 1000);
  const before = new Set(podsOfApp(ctx.pods).map((p) => p.metadata.name));
  const rec = recorder(ctx, before, hpaName);
  const intervalMs = Math.min(200, (R * 1000) / 20);
  const { requestCores } = cfg;
  const poll = pollUtilization(ctx, { app: APP, names: before, requestCores, intervalMs });
  let load;
  try {
    const loadavg1mAtStart = machineLoad().loadavg1m;
    load = startLoad({ pods: ctx.pods, app: APP, cores: cfg.loadCores });
    const { t0 } = load;
    const up = await ctx.deployments.waitFor((c) => replicasOf(c) > MIN, 'scale-up', timeoutMs);
    log(`  decision after ${round((up - t0) / 1000, 1)} s; waiting for the new pods`);
    const decided = replicasOf(ctx.deployments);
    await ctx.pods.waitFor(
      (c) => livePods(c).filter(isReady).length >= decided,
      `${decided} ready pods`,
      timeoutMs,
    );
    // A random hold, so that the stop falls at a random phase of the sync and sample grids
    // (otherwise it would sit a fixed ~1.5 s after the sync that decided).
    await sleep(Math.random() * Math.max(R, S) * 1000);
    const stopped = await load.stop();
    const atStop = replicasOf(ctx.deployments);
    const down = await ctx.deployments.waitFor(
      (c) => replicasOf(c) < atStop,
      'scale-down',
      timeoutMs,
    );
    const atMin = await ctx.deployments.waitFor((c) => replicasOf(c) === MIN, 'min', timeoutMs);
    log(`  scale-down after ${round((down - stopped.t1) / 1000, 1)} s`);
    await settled(ctx, timeoutMs);
    const points = await poll.stop();
    const figures = summarizeRun({ rec, t0, up, stopped, atStop, down, atMin, hpa });
    const metricsApi = splitDelays({ points, t0, up, stopped, down }, cfg);
    return { ...figures, metricsApi, loadavg1mAtStart };
  } finally {
    rec.stop();
    await poll.stop();
    await load?.stop();
  }
}

/** The figures of one run from what the recorder saw. */
function summarizeRun({ rec, t0, up, stopped, atStop, down, atMin, hpa }) {
  const firstUp = rec.scales.find((s) => s.to > s.from);
  const firstDown = rec.scales.find((s) => s.t >= stopped.t1 && s.to < s.from);
  const pods = [...rec.newPods.values()];
  const firstReady = Math.min(...pods.map((p) => p.ready ?? Infinity));
  const firstCreated = Math.min(...pods.map((p) => p.created));
  const maxAt = rec.scales.find((s) => s.to === MAX && s.t < stopped.t1)?.t;
  const statusAfter = (t) => rec.hpa.find((h) => h.t >= t && h.utilization !== undefined);
  const eventAfter = (t) => rec.events.find((e) => e.t >= t - 50)?.message ?? null;
  const loadedUtil = Math.max(
    ...rec.hpa.filter((h) => h.t < stopped.t1).map((h) => h.utilization ?? 0),
  );
  return {
    loadToDecisionMs: ms(up, t0),
    decision: firstUp ? `${firstUp.from} -> ${firstUp.to}` : null,
    decisionEvent: eventAfter(up),
    utilizationAtDecisionPercent: statusAfter(up)?.utilization ?? null,
    loadToFirstNewPodCreatedMs: ms(firstCreated, t0),
    loadToFirstNewPodReadyMs: Number.isFinite(firstReady) ? ms(firstReady, t0) : null,
    decisionToFirstNewPodReadyMs: Number.isFinite(firstReady) ? ms(firstReady, up) : null,
    loadToMaxReplicasMs: maxAt === undefined ? null : ms(maxAt, t0),
    highestUtilizationUnderLoadPercent: Number.isFinite(loadedUtil) ? loadedUtil : null,
    loadHeldMs: ms(stopped.t1, t0),
    replicasAtLoadStop: atStop,
    stopToScaleDownMs: ms(down, stopped.t1),
    scaleDown: firstDown ? `${firstDown.from} -> ${firstDown.to}` : null,
    scaleDownEvent: eventAfter(down),
    stopToMinReplicasMs: ms(atMin, stopped.t1),
    hpaCreateToValidMetricMs: hpa.createToValidMetricMs,
    idleUtilizationPercent: hpa.idleUtilization,
    load: { rounds: stopped.rounds, requests: stopped.requests, failed: stopped.failed },
  };
}

/**
 * When metrics.k8s.io first showed the new level (beyond the tolerance band around the target)
 * and how long the HPA then took: the metrics pipeline's share and the sync's share of a delay.
 */
function splitDelays({ points, t0, up, stopped, down }, cfg) {
  const high = firstPoint(points, t0, (u) => u > cfg.thresholds.upPercent);
  const low = firstPoint(points, stopped.t1, (u) => u < cfg.thresholds.downPercent);
  return {
    pollIntervalMs: round(Math.min(200, (cfg.R * 1000) / 20), 0),
    loadToMetricAboveThresholdMs: ms(high?.t, t0),
    metricAboveThresholdToDecisionMs: ms(up, high?.t),
    stopToMetricBelowThresholdMs: ms(low?.t, stopped.t1),
    metricBelowThresholdToScaleDownMs: ms(down, low?.t),
  };
}

/** `runs` reaction runs on a Deployment created here; returns the runs and their medians/max. */
export async function reactionRuns(ctx, cfg, log) {
  const samples = [];
  for (let i = 0; i < cfg.runs; i++) {
    log(`${cfg.label}: run ${i + 1}/${cfg.runs}`);
    samples.push(await oneRun(ctx, { ...cfg, run: i + 1 }, log));
  }
  const keys = ['loadToDecisionMs', 'loadToFirstNewPodReadyMs', 'decisionToFirstNewPodReadyMs'];
  keys.push('stopToScaleDownMs', 'stopToMinReplicasMs', 'loadToMaxReplicasMs');
  keys.push(
    'metricsApi.loadToMetricAboveThresholdMs',
    'metricsApi.metricAboveThresholdToDecisionMs',
  );
  keys.push(
    'metricsApi.stopToMetricBelowThresholdMs',
    'metricsApi.metricBelowThresholdToScaleDownMs',
  );
  const stats = {};
  const get = (sample, key) => key.split('.').reduce((o, k) => o?.[k], sample);
  for (const key of keys) {
    const values = samples.map((s) => get(s, key)).filter((v) => typeof v === 'number');
    stats[key] = values.length
      ? { median: round(median(values), 1), max: round(Math.max(...values), 1), n: values.length }
      : null;
  }
  return { summary: stats, runs: samples };
}
