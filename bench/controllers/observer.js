// What the benchmark watches: Deployments, ReplicaSets and Pods of one namespace over HTTP,
// plus the readiness predicates it times (kubectl rollout status semantics, pod availability).
import { WatchCache } from './watch-cache.js';

/** A Deployment of `replicas` pods labelled app=<name>; default RollingUpdate (25%/25%). */
export function deploymentBody(name, replicas, image) {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'app', image, ports: [{ containerPort: 8080, name: 'http' }] }],
        },
      },
    },
  };
}

/**
 * kubectl rollout status for a Deployment (polymorphichelpers DeploymentStatusViewer): done
 * once the controller observed the current generation, every replica is updated, no old
 * replica remains and every updated replica is available.
 */
export function rolloutComplete(d, replicas) {
  if (!d) {
    return false;
  }
  const zero = { observedGeneration: 0, replicas: 0, updatedReplicas: 0, availableReplicas: 0 };
  const s = { ...zero, ...d.status };
  const want = d.spec.replicas ?? 1;
  return (
    (d.metadata.generation ?? 0) <= s.observedGeneration &&
    want === replicas &&
    s.updatedReplicas >= want &&
    s.replicas <= s.updatedReplicas &&
    s.availableReplicas >= s.updatedReplicas
  );
}

/** Ready condition True and not being deleted: available with minReadySeconds 0. */
export function podAvailable(pod) {
  return (
    !pod.metadata.deletionTimestamp &&
    (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/**
 * Keeps per-app pod counts up to date from the pod cache's events, so predicates evaluated on
 * every event stay O(1) with 1,000 pods: all (terminating included), total (not terminating)
 * and available.
 */
function trackPodCounts(pods) {
  pods.counts = new Map();
  const add = (pod, sign) => {
    const app = pod?.metadata.labels?.app;
    if (app === undefined) {
      return;
    }
    const c = pods.counts.get(app) ?? { all: 0, total: 0, available: 0 };
    c.all += sign;
    c.total += pod.metadata.deletionTimestamp ? 0 : sign;
    c.available += podAvailable(pod) ? sign : 0;
    pods.counts.set(app, c);
  };
  pods.on((type, pod, old) => {
    add(old, -1);
    if (type !== 'DELETED') {
      add(pod, 1);
    }
  });
}

/** The pods of app=<app>: { all (terminating included), total (not terminating), available }. */
export function countPods(pods, app) {
  return pods.counts.get(app) ?? { all: 0, total: 0, available: 0 };
}

/** The ReplicaSets a Deployment owns. */
export function ownedReplicaSets(replicasets, deploymentName) {
  return [...replicasets.objects.values()].filter((rs) =>
    (rs.metadata.ownerReferences ?? []).some(
      (o) => o.kind === 'Deployment' && o.name === deploymentName && o.controller,
    ),
  );
}

/** Starts list+watch caches of deployments, replicasets and pods in namespace. */
export async function observe(url, namespace) {
  const caches = {
    deployments: new WatchCache({ url, path: `/apis/apps/v1/namespaces/${namespace}/deployments` }),
    replicasets: new WatchCache({ url, path: `/apis/apps/v1/namespaces/${namespace}/replicasets` }),
    pods: new WatchCache({ url, path: `/api/v1/namespaces/${namespace}/pods` }),
  };
  trackPodCounts(caches.pods);
  await Promise.all(Object.values(caches).map((c) => c.start()));
  return {
    ...caches,
    relists: () => Object.values(caches).reduce((n, c) => n + c.relists, 0),
    stop: () => Object.values(caches).forEach((c) => c.stop()),
  };
}
