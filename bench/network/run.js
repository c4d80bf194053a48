// Entry point of the network benchmark: for `--network isolated` and `--network host`, each on a
// fresh kubeproc: pod start latency (POST -> Ready) and request throughput with wrk from the node
// to a pod, node -> Service, pod -> pod and pod -> Service. One JSON document to bench/results/.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sleep } from '../api/processes.js';
import { median, nowMs, percentile, round } from '../api/stats.js';
import { cleanupAll, cleanupOnSignals, onCleanup } from '../api/cleanups.js';
import { call } from '../controllers/client.js';
import { WatchCache } from '../controllers/watch-cache.js';
import { parseWrk, runWrk } from '../proxy/wrk.js';
import { startCluster } from './cluster.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BACKEND = join(HERE, 'backend.mjs');
const PODS = '/api/v1/namespaces/default/pods';
const FULL = { runs: 10, seconds: 10, connections: 10 };
const QUICK = { runs: 3, seconds: 3, connections: 10 };
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

cleanupOnSignals(log);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    modes: { type: 'string' },
    out: { type: 'string' },
  },
});
const size = values.quick ? QUICK : FULL;
const runs = Number(values.runs ?? size.runs);
const seconds = Number(values.seconds ?? size.seconds);
const modes = (values.modes ?? 'isolated,host').split(',');

const isReady = (pod) =>
  pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function podBody(name, command, ports = []) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: 'bench', command, ports }],
    },
  };
}

/** POST -> Ready of `runs` pods, one at a time, each deleted (and gone) before the next. */
async function podStartLatency(cluster, pods) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const name = `start-${i}`;
    const t0 = nowMs();
    await call(cluster.url, { method: 'POST', path: PODS, body: podBody(name, ['sleep', '3600']) });
    const ready = await pods.waitFor((c) => isReady(c.objects.get(name)), `${name} Ready`, 60_000);
    samples.push(round(ready - t0, 1));
    await call(cluster.url, { method: 'DELETE', path: `${PODS}/${name}` });
    await pods.waitFor((c) => !c.objects.has(name), `${name} gone`, 60_000);
  }
  return {
    runs,
    medianMs: round(median(samples), 1),
    p90Ms: round(percentile(samples, 90), 1),
    samplesMs: samples,
  };
}

function status(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Where the node reaches the backend pod: its IP, or 127.0.0.1 and its host port (host mode). */
function backendAddress(pod) {
  const map = pod.metadata.annotations?.['kubeproc.io/port-map'];
  const hostPort = map ? JSON.parse(map)['8080'] : undefined;
  return hostPort ? `127.0.0.1:${hostPort}` : `${pod.status.podIP}:8080`;
}

/** wrk inside the client pod (kubectl exec): the pod's network namespace, if it has one. */
function wrkInPod(cluster, url) {
  const args = ['-t', '1', '-c', String(size.connections), '-d', `${seconds}s`, '--latency'];
  const out = cluster.kubectl(['exec', 'client', '--', 'wrk', ...args, '--timeout', '5s', url]);
  return parseWrk(out);
}

async function throughput(cluster, pods) {
  const backend = podBody(
    'backend',
    ['node', BACKEND, '8080'],
    [{ containerPort: 8080, name: 'http' }],
  );
  await call(cluster.url, { method: 'POST', path: PODS, body: backend });
  await call(cluster.url, {
    method: 'POST',
    path: PODS,
    body: podBody('client', ['sleep', '3600']),
  });
  cluster.kubectl(['expose', 'pod', 'backend', '--port', '8080']);
  await pods.waitFor(
    (c) => isReady(c.objects.get('backend')) && isReady(c.objects.get('client')),
    'backend and client Ready',
    60_000,
  );
  const direct = backendAddress(pods.objects.get('backend'));
  const clusterIP = cluster.kubectl(['get', 'svc', 'backend', '-o', 'jsonpath={.spec.clusterIP}']);
  const service = `${clusterIP}:8080`;
  await until(`backend at ${direct}`, async () => (await status(`http://${direct}/`)) === 200);
  await until(`Service at ${service}`, async () => (await status(`http://${service}/`)) === 200);
  const wrk = (url) =>
    runWrk({ url, seconds, connections: size.connections, threads: 1 }).then(brief);
  // Warm-up: the backend's JIT and the proxy's pools, so the first measured run is not the cold one.
  await runWrk({
    url: `http://${service}/`,
    seconds: 2,
    connections: size.connections,
    threads: 1,
  });
  return {
    nodeToPod: await wrk(`http://${direct}/`),
    nodeToService: await wrk(`http://${service}/`),
    podToPod: brief(wrkInPod(cluster, `http://${direct}/`)),
    podToService: brief(wrkInPod(cluster, `http://${service}/`)),
  };
}

function brief(r) {
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  return {
    requestsPerSec: r.requestsPerSec,
    p50Ms: r.latency.p50Ms,
    p99Ms: r.latency.p99Ms,
    errors,
  };
}

async function benchMode(mode) {
  log(`${mode}: starting kubeproc`);
  const cluster = await startCluster(mode);
  onCleanup(() => cluster.stop());
  const pods = new WatchCache({ url: cluster.url, path: PODS });
  await pods.start();
  onCleanup(async () => pods.stop());
  log(`${mode}: pod start latency (${runs} pods)`);
  const podStart = await podStartLatency(cluster, pods);
  log(`${mode}: throughput (${seconds} s per wrk run)`);
  const requests = await throughput(cluster, pods);
  await cleanupAll(log);
  return { podStart, throughput: requests };
}

async function main() {
  // Other work on the machine moves these figures a lot: the load is recorded beside them.
  const loadBefore = os.loadavg()[0];
  const results = {};
  for (const mode of modes) {
    results[mode] = await benchMode(mode);
  }
  const figure = (mode, key) => results[mode]?.throughput[key]?.requestsPerSec;
  const doc = {
    bench: 'network',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      kernel: os.release(),
      loadAverage1m: { before: round(loadBefore, 2), after: round(os.loadavg()[0], 2) },
      // wrk -v prints its version and exits 1.
      wrk: spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim(),
    },
    config: { runs, seconds, connections: size.connections, wrkThreads: 1 },
    figures: Object.fromEntries(
      modes.map((m) => [
        m,
        {
          podStartMedianMs: results[m].podStart.medianMs,
          nodeToPodRps: figure(m, 'nodeToPod'),
          nodeToServiceRps: figure(m, 'nodeToService'),
          podToPodRps: figure(m, 'podToPod'),
          podToServiceRps: figure(m, 'podToService'),
        },
      ]),
    ),
    modes: results,
  };
  const json = JSON.stringify(doc, null, 2);
  process.stdout.write(`${json}\n`);
  const suffix = values.quick ? '-quick' : values.runs || values.seconds ? '-custom' : '';
  const out =
    values.out ?? join(HERE, '..', 'results', `network-${doc.date.slice(0, 10)}${suffix}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${json}\n`);
  log(`wrote ${out}`);
}

main().catch(async (e) => {
  log(e.stack ?? String(e));
  await cleanupAll(log);
  process.exit(1);
});
