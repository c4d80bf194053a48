// Phases 1 and 2 of the node benchmark: one pod from POST to Ready, then kill -9 of its app
// process to the container running again (restartCount + 1) and Ready again, then its delete;
// and a 50-replica Deployment from POST to every pod Ready.
import { median, nowMs, percentile, round } from '../api/stats.js';
import { allOf } from '../controllers/rollout.js';
import {
  appStatus,
  containerState,
  countApp,
  create,
  deploymentBody,
  isReady,
  isRunning,
  podBody,
  podsOf,
  remove,
} from './pods.js';

const ms = (t, t0) => round(t - t0, 1);

/** POSTs pod `name` (readiness probe on) and times scheduled, running and Ready as watched. */
async function applyPod(ctx, name) {
  const { pods } = ctx;
  const get = (c) => c.objects.get(name);
  const waits = {
    scheduled: pods.waitFor((c) => Boolean(get(c)?.spec?.nodeName), `${name} scheduled`),
    running: pods.waitFor((c) => isRunning(get(c)), `${name} running`),
    ready: pods.waitFor((c) => isReady(get(c)), `${name} Ready`, 60_000),
  };
  const wall0 = Date.now();
  const t0 = nowMs();
  await create(ctx, `/api/v1/namespaces/${ctx.namespace}/pods`, podBody(name, { probe: true }));
  const t = await allOf(waits);
  const pod = pods.objects.get(name);
  const state = containerState(ctx.dataDir, pod, 0);
  return {
    pod,
    state,
    figures: {
      applyToScheduledMs: ms(t.scheduled, t0),
      // From the state file the agent writes when it spawned the process (ms precision).
      applyToProcessSpawnedMs: round(Date.parse(state.startedAt) - wall0, 1),
      applyToRunningMs: ms(t.running, t0),
      applyToReadyMs: ms(t.ready, t0),
    },
  };
}

/** SIGKILLs the app process of run 0 and times the restarted container (run 1). */
async function killAndRestart(ctx, pod, state) {
  const { pods } = ctx;
  const name = pod.metadata.name;
  const before = appStatus(pod);
  const oldStartedMs = Date.parse(before.state.running.startedAt);
  const restarted = (p) => {
    const s = appStatus(p);
    return (
      s?.restartCount === before.restartCount + 1 &&
      s.state?.running !== undefined &&
      // Status times have 1 s resolution: a restart in the same second keeps the same value.
      Date.parse(s.state.running.startedAt) >= oldStartedMs
    );
  };
  const waits = {
    running: pods.waitFor((c) => restarted(c.objects.get(name)), `${name} restarted`),
    ready: pods.waitFor(
      (c) => restarted(c.objects.get(name)) && isReady(c.objects.get(name)),
      `${name} Ready after restart`,
    ),
  };
  const wallKill = Date.now();
  const tKill = nowMs();
  process.kill(state.killPid, 'SIGKILL');
  const t = await allOf(waits);
  const after = pods.objects.get(name);
  const next = containerState(ctx.dataDir, after, before.restartCount + 1);
  return {
    killToProcessSpawnedMs: round(Date.parse(next.startedAt) - wallKill, 1),
    killToRunningMs: ms(t.running, tKill),
    killToReadyMs: ms(t.ready, tKill),
    startedAtAdvanced: Date.parse(appStatus(after).state.running.startedAt) > oldStartedMs,
    lastTerminationReason: appStatus(after).lastState?.terminated?.reason ?? null,
    lastTerminationExitCode: appStatus(after).lastState?.terminated?.exitCode ?? null,
  };
}

/** Deletes pod `name` and times it until the pod is gone from the API (graceful stop). */
async function deletePod(ctx, name) {
  const gone = ctx.pods.waitFor((c) => !c.objects.has(name), `${name} gone`, 60_000);
  const t0 = nowMs();
  await remove(ctx, `/api/v1/namespaces/${ctx.namespace}/pods/${name}`);
  return ms(await gone, t0);
}

/** `runs` fresh pods: apply -> Ready, kill -9 -> running again, delete -> gone; with medians. */
export async function singlePodRuns(ctx, runs, log) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const name = `single-${i}`;
    log(`phase 1/2: pod ${name}: apply -> Ready, kill -9 -> restarted (${i + 1}/${runs})`);
    const { pod, state, figures } = await applyPod(ctx, name);
    const restart = await killAndRestart(ctx, pod, state);
    const deleteToGoneMs = await deletePod(ctx, name);
    samples.push({ ...figures, ...restart, deleteToGoneMs });
  }
  const medianOf = (key) => round(median(samples.map((s) => s[key])), 1);
  const numeric = Object.keys(samples[0] ?? {}).filter((k) => typeof samples[0][k] === 'number');
  return {
    runs: samples,
    median: Object.fromEntries(numeric.map((k) => [k, medianOf(k)])),
  };
}

/**
 * POSTs a Deployment of `replicas` fixture-app pods (appOpts as appContainer takes) and times:
 * every pod created, running, Ready. Per-pod Ready times (first seen) give the spread.
 */
export async function deploymentToReady(ctx, name, replicas, appOpts) {
  const { pods } = ctx;
  const readyAt = new Map();
  const off = pods.on((type, pod, _old, t) => {
    if (pod.metadata.labels?.app === name && isReady(pod) && !readyAt.has(pod.metadata.name)) {
      readyAt.set(pod.metadata.name, t);
    }
  });
  const count = (c, pred) => countApp(c, name, pred);
  const timeoutMs = 180_000;
  const waits = {
    created: pods.waitFor((c) => count(c, () => true) >= replicas, 'pods created', timeoutMs),
    running: pods.waitFor((c) => count(c, isRunning) >= replicas, 'pods running', timeoutMs),
    ready: pods.waitFor((c) => count(c, isReady) >= replicas, 'pods Ready', timeoutMs),
  };
  const t0 = nowMs();
  const path = `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`;
  await create(ctx, path, deploymentBody(name, replicas, appOpts));
  const t = await allOf(waits);
  off();
  const perPod = [...readyAt.values()].map((v) => v - t0);
  return {
    replicas,
    applyToAllPodsCreatedMs: ms(t.created, t0),
    applyToAllPodsRunningMs: ms(t.running, t0),
    applyToAllPodsReadyMs: ms(t.ready, t0),
    perPodApplyToReadyMs: {
      p50: round(percentile(perPod, 50), 1),
      p90: round(percentile(perPod, 90), 1),
      first: round(Math.min(...perPod), 1),
    },
  };
}

/** Deletes a Deployment (background) and times it until none of its pods is left. */
export async function deleteDeploymentPods(ctx, name) {
  const gone = ctx.pods.waitFor((c) => podsOf(c, name).length === 0, `${name} pods gone`, 120_000);
  const t0 = nowMs();
  await remove(ctx, `/apis/apps/v1/namespaces/${ctx.namespace}/deployments/${name}`);
  return { deleteToAllPodsGoneMs: ms(await gone, t0) };
}
