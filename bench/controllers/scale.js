// Phases 3 and 4: a Deployment of 1,000 pods (kubeproc CPU and RSS while it exists, idle and
// while scaling 1000 -> 500 -> 1000, with convergence times), then its deletion through the
// garbage collector.
import { memoryMb, sleep } from '../api/processes.js';
import { nowMs, round } from '../api/stats.js';
import { call, mergePatch } from './client.js';
import { cpuMeter, eventSummary, metered } from './cluster.js';
import { countPods, ownedReplicaSets, rolloutComplete } from './observer.js';
import { allOf, applyToReady, deleteDeployment } from './rollout.js';

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Counts every watch event the observer received (a proxy for write traffic). */
function eventCounts(obs) {
  return {
    deployments: obs.deployments.events,
    replicasets: obs.replicasets.events,
    pods: obs.pods.events,
  };
}

function eventsSince(obs, before) {
  const now = eventCounts(obs);
  return Object.fromEntries(Object.keys(now).map((k) => [k, now[k] - before[k]]));
}

/** Scales through the scale subresource (as kubectl scale) and waits for convergence. */
async function scaleTo(ctx, name, replicas) {
  const { url, namespace, obs, agent } = ctx;
  const before = eventCounts(obs);
  const waits = {
    deploymentStatus: obs.deployments.waitFor((c) => {
      const d = c.objects.get(name);
      return d?.status?.replicas === replicas && rolloutComplete(d, replicas);
    }, `deployment ${name} at ${replicas}`),
    replicaSetStatus: obs.replicasets.waitFor((c) => {
      const owned = ownedReplicaSets(c, name);
      return owned.length > 0 && owned.every((rs) => rs.status?.replicas === replicas);
    }, `RS of ${name} at ${replicas}`),
    pods: obs.pods.waitFor((c) => {
      // Also no terminating leftovers: every pod labelled app=name is one of the wanted ones.
      const { all, total, available } = countPods(c, name);
      return total === replicas && available === replicas && all === replicas;
    }, `${replicas} available pods of ${name}`),
  };
  const t0 = nowMs();
  const res = await mergePatch(
    url,
    `/apis/apps/v1/namespaces/${namespace}/deployments/${name}/scale`,
    { spec: { replicas } },
    agent,
  );
  const times = await allOf(waits);
  return {
    to: replicas,
    patchMs: round(res.ms, 1),
    toPodsConvergedMs: round(times.pods - t0, 1),
    toReplicaSetStatusMs: round(times.replicaSetStatus - t0, 1),
    toDeploymentStatusMs: round(times.deploymentStatus - t0, 1),
    watchEvents: eventsSince(obs, before),
  };
}

/** Phase 3: create `replicas` pods, idle, scale to half and back; CPU, RSS and times. */
export async function bigDeployment(ctx, { name, replicas, idleSeconds }) {
  const out = {};
  log(`phase 3: deployment ${name} with ${replicas} replicas`);
  const eventsBefore = await eventSummary(ctx);
  out.create = await metered(ctx, () => applyToReady(ctx, name, replicas));
  out.create.eventObjectsCreated = (await eventSummary(ctx)).objects - eventsBefore.objects;
  // Let trailing controller work (status writes, endpoints) finish before measuring idle.
  await sleep(2000);
  log(`phase 3: idle ${idleSeconds} s with ${replicas} pods`);
  const before = eventCounts(ctx.obs);
  const meter = cpuMeter(ctx.pid);
  await ctx.probe.paused(() => sleep(idleSeconds * 1000));
  out.idle = { ...meter.end(), watchEvents: eventsSince(ctx.obs, before) };
  const half = Math.floor(replicas / 2);
  log(`phase 3: scale ${replicas} -> ${half} -> ${replicas}`);
  const scaleMeter = cpuMeter(ctx.pid);
  const down = await metered(ctx, () => scaleTo(ctx, name, half));
  const up = await metered(ctx, () => scaleTo(ctx, name, replicas));
  out.scale = {
    down,
    up,
    totalMs: round(down.toPodsConvergedMs + up.toPodsConvergedMs, 1),
    kubeproc: scaleMeter.end(),
  };
  out.memoryWithPods = memoryMb(ctx.pid);
  out.eventsInNamespace = await eventSummary(ctx);
  return out;
}

/** Phase 4: delete the big Deployment; time until the GC removed its ReplicaSets and pods. */
export async function deleteBig(ctx, name) {
  log(`phase 4: delete deployment ${name}`);
  const out = await metered(ctx, () => deleteDeployment(ctx, name));
  // Cross-check with fresh lists that nothing is left behind.
  const base = `/namespaces/${ctx.namespace}`;
  const pods = await call(ctx.url, { path: `/api/v1${base}/pods?labelSelector=app%3D${name}` });
  const rss = await call(ctx.url, {
    path: `/apis/apps/v1${base}/replicasets?labelSelector=app%3D${name}`,
  });
  out.leftAfter = { pods: pods.json.items.length, replicaSets: rss.json.items.length };
  return out;
}
