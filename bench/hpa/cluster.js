// The kubeproc under test for the HPA benchmark: `kubeproc up` with its node agent and the given
// HPA / metric flags on a fresh data dir (--api-port 0, URL read from the banner), kubectl against
// it, and a stop that leaves no app process, cgroup or temp dir behind.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../api/cleanups.js';
import { memoryMb, spawnTracked } from '../api/processes.js';
import { call } from '../controllers/client.js';
import { WatchCache } from '../controllers/watch-cache.js';
import { readyNodeName } from '../node/cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// BENCH_KUBEPROC_BIN points at another build (e.g. a second checkout) to compare.
const BIN = process.env.BENCH_KUBEPROC_BIN ?? join(ROOT, 'bin/kubeproc.js');
const REAP = join(ROOT, 'dist/node/kubelet/reap.js');

/** Resolves with the URL of the "API listening on URL" line; rejects if kubeproc exits first. */
function waitForBanner(tracked, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kubeproc printed no banner in ${timeoutMs} ms:\n${tracked.output}`)),
      timeoutMs,
    );
    const check = () => {
      const m = /API listening on (\S+)/.exec(tracked.output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    tracked.child.stdout.on('data', check);
    tracked.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`kubeproc exited (${code ?? signal}) before its banner:\n${tracked.output}`),
      );
    });
  });
}

/** Flags as `--name value` pairs, from { name: value }. */
export function flagArgs(flags) {
  return Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

/**
 * Starts `kubeproc up` with the node agent and `flags` ({ 'metric-resolution': '1s', ... }).
 * Resolves with { pid, url, dir, dataDir, kubeconfig, kubectl(args, input), stop() }; stop() ends
 * kubeproc by its PID, reaps the app processes it leaves running by design, removes the temp dir.
 */
export async function startHpaCluster(flags) {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-bench-hpa-'));
  const dataDir = join(dir, 'data');
  const kubeconfig = join(dir, 'kubeconfig');
  // Extra node flags for diagnosis, e.g. BENCH_KUBEPROC_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUBEPROC_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, BIN, 'up', '--data-dir', dataDir, '--api-port', '0'];
  args.push('--kubeconfig', kubeconfig, ...flagArgs(flags));
  const tracked = spawnTracked(process.execPath, args, { env: { ...process.env, HOME: dir } });
  let stopped;
  const stop = () => {
    // Once only: the cleanup stack and a failed start may both ask.
    stopped ??= (async () => {
      const exit = await tracked.stop();
      // App processes outlive kubeproc by design (adoption); the bench leaves none behind.
      const { reapPods } = await import(REAP);
      const reaped = await reapPods(dataDir);
      rmSync(dir, { recursive: true, force: true });
      return { ...exit, reapedContainers: reaped };
    })();
    return stopped;
  };
  try {
    const url = await waitForBanner(tracked, 30_000);
    const kubectl = (kargs, input) => runKubectl({ dir, kubeconfig }, kargs, input);
    return { pid: tracked.pid, url, dir, dataDir, kubeconfig, tracked, kubectl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs kubectl against this instance; returns stdout, throws with stderr on a non-zero exit. */
function runKubectl({ dir, kubeconfig }, args, input = '') {
  const r = spawnSync('kubectl', [`--cache-dir=${join(dir, 'cache')}`, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
    timeout: 60_000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) {
    throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.error ?? ''}`);
  }
  return r.stdout;
}

/**
 * Starts kubeproc with `flags`, creates `namespace` and list+watch caches of its Deployments,
 * pods, HPAs and events, runs fn(ctx), then stops everything (also on Ctrl-C).
 */
export async function withCluster({ flags, namespace, log }, fn) {
  const cluster = await startHpaCluster(flags);
  const stopCluster = () => cluster.stop();
  onCleanup(stopCluster);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const caches = [];
  try {
    const nodeName = await readyNodeName(cluster);
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    await call(cluster.url, { method: 'POST', path: '/api/v1/namespaces', body, agent });
    const watch = (path) => {
      const cache = new WatchCache({ url: cluster.url, path: path.replace('NS', namespace) });
      caches.push(cache);
      return cache;
    };
    const ctx = {
      ...cluster,
      namespace,
      nodeName,
      agent,
      deployments: watch('/apis/apps/v1/namespaces/NS/deployments'),
      pods: watch('/api/v1/namespaces/NS/pods'),
      hpas: watch('/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers'),
      events: watch('/api/v1/namespaces/NS/events'),
      remove: (path) => call(cluster.url, { method: 'DELETE', path, agent }),
    };
    await Promise.all(caches.map((c) => c.start()));
    const startedAt = memoryMb(cluster.pid);
    const result = await fn(ctx);
    return { ...result, kubeprocRss: { atStart: startedAt, atEnd: memoryMb(cluster.pid) } };
  } finally {
    caches.forEach((c) => c.stop());
    agent.destroy();
    const exit = await stopCluster();
    log(`kubeproc stopped (${JSON.stringify(exit)})`);
  }
}
