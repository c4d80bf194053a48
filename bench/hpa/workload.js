// What the HPA benchmark runs: the fixture app as a Deployment with CPU requests and a readiness
// probe, cheap `sleep` Deployments for the cost phase, HorizontalPodAutoscalers, and the CPU
// load on every ready pod (GET /burn on the pod's host port, renewed twice a second).
import http from 'node:http';
import { sleep } from '../api/processes.js';
import { nowMs } from '../api/stats.js';
import { APP, isReady, portMap } from '../node/pods.js';

/** A Deployment of `replicas` pods labelled app=<name> running `container`. */
function deployment(name, replicas, container, podSpec = {}) {
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
        spec: { terminationGracePeriodSeconds: 1, ...podSpec, containers: [container] },
      },
    },
  };
}

/**
 * The reaction workload (as test/integration/hpa.test.ts): the fixture app with requests cpu
 * 100m, the named port `http` and a readinessProbe GET /ready every second.
 */
export function webDeployment(name, replicas, cpuRequest = '100m') {
  return deployment(name, replicas, {
    name: 'app',
    image: 'fixture',
    command: ['node', APP],
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
    resources: { requests: { cpu: cpuRequest, memory: '64Mi' } },
  });
}

/**
 * The cost workload: one `sleep infinity` per Deployment (no port, no probe, ~0 CPU) with a CPU
 * request. `nodeName` binds the pods directly (see README: the node's pod capacity is 110).
 */
export function sleepDeployment(name, nodeName) {
  const container = {
    name: 'app',
    image: 'fixture',
    command: ['sleep', 'infinity'],
    resources: { requests: { cpu: '1m', memory: '4Mi' } },
  };
  return deployment(name, 1, container, nodeName ? { nodeName } : {});
}

/** An autoscaling/v2 HPA on Deployment `name` (no behavior: kubectl autoscale's shape). */
export function hpaBody(name, { min = 1, max = 5, cpuPercent = 50 } = {}) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: cpuPercent },
          },
        },
      ],
    },
  };
}

/** One GET on 127.0.0.1:port; resolves with the status code, or 0 on an error. */
function get(agent, port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Host ports of the ready, non-terminating pods of app=<app> in the pod cache. */
export function readyPorts(pods, app) {
  const ports = [];
  for (const pod of pods.objects.values()) {
    if (pod.metadata.labels?.app !== app || pod.metadata.deletionTimestamp || !isReady(pod)) {
      continue;
    }
    const port = portMap(pod)['8080'];
    if (port) {
      ports.push(port);
    }
  }
  return ports;
}

/**
 * Starts the load on every ready pod of `app`: GET /burn?cores=C&seconds=S (2) now and every
 * `renewMs` (new pods get it once Ready). Returns { t0, stop() }; stop() ends the loop and sends
 * cores=0 to every ready pod so the load ends at once (not 2 s later), resolving with its time.
 */
export function startLoad({ pods, app, cores, seconds = 2, renewMs = 500 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const path = `/burn?cores=${cores}&seconds=${seconds}`;
  const stats = { rounds: 0, requests: 0, failed: 0 };
  let running = true;
  const round = async () => {
    const codes = await Promise.all(readyPorts(pods, app).map((p) => get(agent, p, path)));
    stats.rounds++;
    stats.requests += codes.length;
    stats.failed += codes.filter((c) => c !== 200).length;
  };
  const t0 = nowMs();
  const loop = (async () => {
    while (running) {
      const started = nowMs();
      await round();
      await sleep(Math.max(0, renewMs - (nowMs() - started)));
    }
  })();
  let stopped;
  // Once only: the run stops the load, and its cleanup stops it again if the run failed first.
  const stop = () => (stopped ??= finish());
  const finish = async () => {
    running = false;
    await loop;
    const t1 = nowMs();
    const codes = await Promise.all(
      readyPorts(pods, app).map((p) => get(agent, p, '/burn?cores=0')),
    );
    agent.destroy();
    return { t1, ...stats, stopRequests: codes.length };
  };
  return { t0, stop };
}
