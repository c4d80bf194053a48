// What the node benchmark runs and reads: pods and Deployments of the fixture app (optionally
// with an HTTP readiness probe), status predicates, the port map, and container state files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from '../controllers/client.js';

export const APP = fileURLToPath(new URL('../../test/fixtures/app/app.mjs', import.meta.url));
export const PORT_MAP_ANNOTATION = 'kubeproc.io/port-map';

/** Flags of an app that does nothing: no port, no CPU, runs for ~11 days. */
export const IDLE_ARGS = ['--no-listen', '--exit-after', '999999999'];

/**
 * The fixture app as a container. With `probe`, it declares the named port `http` (8080) and a
 * readinessProbe GET /ready on it every second.
 */
export function appContainer({ args = [], probe = false } = {}) {
  const container = { name: 'app', image: 'fixture', command: ['node', APP, ...args] };
  if (probe) {
    container.ports = [{ name: 'http', containerPort: 8080 }];
    container.readinessProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 };
  }
  return container;
}

/** A bare pod of the fixture app (see appContainer for the options). */
export function podBody(name, opts) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { terminationGracePeriodSeconds: 5, containers: [appContainer(opts)] },
  };
}

/** A Deployment of `replicas` fixture-app pods labelled app=<name>. */
export function deploymentBody(name, replicas, opts) {
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
        spec: { terminationGracePeriodSeconds: 5, containers: [appContainer(opts)] },
      },
    },
  };
}

/** The pod's Ready condition is True. */
export function isReady(pod) {
  return (pod?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The first container's status, or undefined before the agent reported one. */
export function appStatus(pod) {
  return pod?.status?.containerStatuses?.[0];
}

/** The first container is in state running. */
export function isRunning(pod) {
  return appStatus(pod)?.state?.running !== undefined;
}

/** containerPort -> host port from the kubeproc.io/port-map annotation ({} when absent). */
export function portMap(pod) {
  const text = pod?.metadata?.annotations?.[PORT_MAP_ANNOTATION];
  return text ? JSON.parse(text) : {};
}

/**
 * The state file of one run of a container: <data-dir>/pods/<uid>/<container>/<n>.state.json.
 * `killPid` is the app's own process (appPid in PID-namespace mode), `rootPid` the tree's root.
 */
export function containerState(dataDir, pod, restartCount, container = 'app') {
  const file = join(dataDir, 'pods', pod.metadata.uid, container, `${restartCount}.state.json`);
  const state = JSON.parse(readFileSync(file, 'utf8'));
  return { ...state, killPid: state.appPid ?? state.pid, rootPid: state.pid };
}

/** The app labels (app=<name>) of pods in the cache, counted by predicate. */
export function countApp(pods, app, predicate) {
  let n = 0;
  for (const pod of pods.objects.values()) {
    if (pod.metadata.labels?.app === app && !pod.metadata.deletionTimestamp && predicate(pod)) {
      n++;
    }
  }
  return n;
}

/** Pods of app=<app> still present, terminating ones included. */
export function podsOf(pods, app) {
  return [...pods.objects.values()].filter((p) => p.metadata.labels?.app === app);
}

/** POSTs a namespaced object to its collection path; resolves with the server's copy. */
export async function create(ctx, collectionPath, body) {
  const { json } = await call(ctx.url, {
    method: 'POST',
    path: collectionPath,
    body,
    agent: ctx.agent,
  });
  return json;
}

/** DELETEs one object (background propagation for owners); a 404 counts as done. */
export async function remove(ctx, path) {
  const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
  try {
    await call(ctx.url, { method: 'DELETE', path, body, agent: ctx.agent });
  } catch (e) {
    if (e.status !== 404) {
      throw e;
    }
  }
}
