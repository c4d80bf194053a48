// Phases 1 and 2: apply -> all pods Ready for a Deployment (breakdown: ReplicaSet created, all
// pods created, all pods Ready, Deployment available), then a rolling image update to
// completion with the fewest available replicas seen during it.
import { execFile } from 'node:child_process';
import { nowMs, round } from '../api/stats.js';
import { call, mergePatch } from './client.js';
import { countPods, deploymentBody, ownedReplicaSets, rolloutComplete } from './observer.js';

const ms = (t, t0) => round(t - t0, 1);

/** POSTs the Deployment and times each step until rollout status would say it is done. */
export async function applyToReady(ctx, name, replicas) {
  const { url, namespace, obs, agent } = ctx;
  const waits = {
    rsCreated: obs.replicasets.waitFor((c) => ownedReplicaSets(c, name).length > 0, 'RS'),
    allPodsCreated: obs.pods.waitFor((c) => countPods(c, name).total >= replicas, 'pods'),
    allPodsReady: obs.pods.waitFor((c) => countPods(c, name).available >= replicas, 'ready'),
    deploymentAvailable: obs.deployments.waitFor(
      (c) => rolloutComplete(c.objects.get(name), replicas),
      `deployment ${name} available`,
    ),
  };
  const t0 = nowMs();
  const posted = await call(url, {
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    body: deploymentBody(name, replicas, 'registry.example/app:v1'),
    agent,
  });
  const times = await allOf(waits);
  const d = obs.deployments.objects.get(name);
  return {
    replicas,
    postMs: round(posted.ms, 1),
    toReplicaSetCreatedMs: ms(times.rsCreated, t0),
    toAllPodsCreatedMs: ms(times.allPodsCreated, t0),
    toAllPodsReadyMs: ms(times.allPodsReady, t0),
    toDeploymentAvailableMs: ms(times.deploymentAvailable, t0),
    statusLagAfterLastPodReadyMs: ms(times.deploymentAvailable, times.allPodsReady),
    status: pick(d.status, ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']),
  };
}

/**
 * Changes the image and waits for rollout status to be done; tracks, over every pod and
 * Deployment event, the fewest available pods and the most pods that existed.
 */
export async function rollingUpdate(ctx, name, replicas) {
  const { url, namespace, obs, agent } = ctx;
  const track = { minAvailablePods: Infinity, maxPods: 0, minStatusAvailable: Infinity };
  const offPods = obs.pods.on(() => {
    const { total, available } = countPods(obs.pods, name);
    track.minAvailablePods = Math.min(track.minAvailablePods, available);
    track.maxPods = Math.max(track.maxPods, total);
  });
  const offDeployments = obs.deployments.on((type, d) => {
    if (d.metadata.name === name && d.status?.availableReplicas !== undefined) {
      track.minStatusAvailable = Math.min(track.minStatusAvailable, d.status.availableReplicas);
    }
  });
  const before = new Set(ownedReplicaSets(obs.replicasets, name).map((rs) => rs.metadata.uid));
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
  const t0 = nowMs();
  const patched = await mergePatch(
    url,
    path,
    {
      spec: {
        template: { spec: { containers: [{ name: 'app', image: 'registry.example/app:v2' }] } },
      },
    },
    agent,
  );
  const generation = patched.json.metadata.generation;
  const newRs = (c) => ownedReplicaSets(c, name).some((rs) => !before.has(rs.metadata.uid));
  const oldPodsGone = (c) =>
    [...c.objects.values()].every(
      (p) => p.metadata.labels?.app !== name || p.spec.containers[0].image.endsWith(':v2'),
    );
  const times = await allOf({
    newReplicaSetCreated: obs.replicasets.waitFor(newRs, 'new RS'),
    oldPodsGone: obs.pods.waitFor(oldPodsGone, 'old pods gone'),
    complete: obs.deployments.waitFor((c) => {
      const d = c.objects.get(name);
      return d?.metadata.generation >= generation && rolloutComplete(d, replicas);
    }, `rollout of ${name}`),
  });
  offPods();
  offDeployments();
  const maxUnavailable = Math.floor(replicas * 0.25);
  const maxSurge = Math.ceil(replicas * 0.25);
  return {
    replicas,
    patchMs: round(patched.ms, 1),
    toNewReplicaSetCreatedMs: ms(times.newReplicaSetCreated, t0),
    toOldPodsGoneMs: ms(times.oldPodsGone, t0),
    toRolloutCompleteMs: ms(times.complete, t0),
    minAvailablePodsObserved: track.minAvailablePods,
    minAvailableReplicasInStatus: track.minStatusAvailable,
    maxPodsObserved: track.maxPods,
    allowedMinAvailable: replicas - maxUnavailable,
    allowedMaxPods: replicas + maxSurge,
    withinMaxUnavailable: track.minAvailablePods >= replicas - maxUnavailable,
    withinMaxSurge: track.maxPods <= replicas + maxSurge,
  };
}

/** Runs the real `kubectl rollout status` once (a cross-check of the semantics above). */
export function kubectlRolloutStatus(kubeconfig, namespace, name) {
  const args = ['--kubeconfig', kubeconfig, '-n', namespace, 'rollout', 'status'];
  args.push(`deployment/${name}`, '--timeout=30s');
  const t0 = nowMs();
  return new Promise((resolve) => {
    execFile('kubectl', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({
        exitCode: err ? (err.code ?? 1) : 0,
        ms: round(nowMs() - t0, 0),
        output: `${stdout}${stderr}`.trim().split('\n').slice(-2).join(' | '),
      });
    });
  });
}

/** Deletes a Deployment (background propagation) and times until its pods and RSs are gone. */
export async function deleteDeployment(ctx, name) {
  const { url, namespace, obs, agent } = ctx;
  const waits = {
    deploymentGone: obs.deployments.waitFor((c) => !c.objects.has(name), 'deployment gone'),
    replicaSetsGone: obs.replicasets.waitFor(
      (c) => ![...c.objects.values()].some((rs) => rs.metadata.labels?.app === name),
      'RSs gone',
    ),
    podsGone: obs.pods.waitFor((c) => countPods(c, name).all === 0, 'pods gone'),
  };
  const t0 = nowMs();
  const res = await call(url, {
    method: 'DELETE',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
    body: { propagationPolicy: 'Background' },
    agent,
  });
  const times = await allOf(waits);
  return {
    deleteMs: round(res.ms, 1),
    toDeploymentGoneMs: ms(times.deploymentGone, t0),
    toReplicaSetsGoneMs: ms(times.replicaSetsGone, t0),
    toPodsGoneMs: ms(times.podsGone, t0),
  };
}

/** Awaits an object of promises; rejects as soon as one rejects. */
export async function allOf(promises) {
  const keys = Object.keys(promises);
  const values = await Promise.all(keys.map((k) => promises[k]));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
}

function pick(obj, keys) {
  return Object.fromEntries(keys.map((k) => [k, obj?.[k]]));
}
