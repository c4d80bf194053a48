// The kubeproc under test for the node benchmark: `kubeproc up` with its node agent on a fresh
// data dir (--api-port 0, URL read from the banner), kubectl against it, and a stop that leaves
// no app process, cgroup or temp dir behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, spawnTracked } from '../api/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// BENCH_KUBEPROC_BIN points at another build (e.g. a second checkout) to compare.
const BIN = process.env.BENCH_KUBEPROC_BIN ?? join(ROOT, 'bin/kubeproc.js');
const REAP = join(ROOT, 'dist/node/kubelet/reap.js');

/** Fails early, in one line, when kubectl is not on PATH (the bench reads stats through it). */
export function requireKubectl() {
  const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error('kubectl is not on PATH: the node benchmark drives kubeproc with it');
  }
  return found;
}

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
    // spawnTracked's own listener ran first, so tracked.output already holds this chunk.
    tracked.child.stdout.on('data', check);
    tracked.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`kubeproc exited (${code ?? signal}) before its banner:\n${tracked.output}`),
      );
    });
  });
}

/**
 * Starts `kubeproc up` with the node agent and `metricResolution` (default 1s). Resolves with
 * { pid, url, dir, dataDir, kubeconfig, kubectl(args), stop() }; stop() ends kubeproc by its PID,
 * then reaps the app processes it leaves running by design, then removes the temp dir.
 */
export async function startNodeCluster({ metricResolution = '1s' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-bench-node-'));
  const dataDir = join(dir, 'data');
  const kubeconfig = join(dir, 'kubeconfig');
  // Extra node flags for diagnosis, e.g. BENCH_KUBEPROC_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUBEPROC_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, BIN, 'up', '--data-dir', dataDir, '--api-port', '0'];
  args.push('--kubeconfig', kubeconfig, '--metric-resolution', metricResolution);
  const tracked = spawnTracked(process.execPath, args, { env: { ...process.env, HOME: dir } });
  const stop = async () => {
    const exit = await tracked.stop();
    // App processes outlive kubeproc by design (adoption); the bench leaves none behind.
    const { reapPods } = await import(REAP);
    const reaped = await reapPods(dataDir);
    rmSync(dir, { recursive: true, force: true });
    return { ...exit, reapedContainers: reaped };
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

/** Waits until kubectl lists this machine's Node as Ready; returns its name. */
export async function readyNodeName(cluster, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const out = cluster.kubectl([
      'get',
      'nodes',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
    ]);
    const ready = out.split('\n').find((line) => line.endsWith(' True'));
    if (ready) {
      return ready.split(' ')[0];
    }
    await sleep(200);
  }
  throw new Error(`no Ready node within ${timeoutMs} ms`);
}
