// The kubeproc under test for the proxy benchmark: `kubeproc up` on a fresh data dir with free API
// and ingress ports (both read from its banner), and a stop that ends kubeproc by its PID, reaps
// the pods' processes (they outlive kubeproc by design) and removes the temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from '../api/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// BENCH_KUBEPROC_BIN points at another build (e.g. a second checkout) to compare.
const BIN = process.env.BENCH_KUBEPROC_BIN ?? join(ROOT, 'bin/kubeproc.js');
const REAP = join(ROOT, 'dist/node/kubelet/reap.js');

const API_LINE = /API listening on (\S+)/;
const INGRESS_LINE = /ingress:\s+(http:\/\/\S+?);?\s/;

/** Resolves with the API and ingress URLs of the banner; rejects if kubeproc exits first. */
function waitForBanner(tracked, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`kubeproc printed no banner in ${timeoutMs} ms:\n${tracked.output}`)),
      timeoutMs,
    );
    const check = () => {
      const api = API_LINE.exec(tracked.output)?.[1];
      const ingress = INGRESS_LINE.exec(tracked.output)?.[1];
      if (api && ingress) {
        clearTimeout(timer);
        resolve({ url: api, ingressUrl: ingress });
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
 * Starts `kubeproc up` with its node agent and ingress on free ports. `nodeArgs` go to node
 * itself (e.g. --cpu-prof). Resolves with { pid, url, ingressUrl, dir, dataDir, stop() }.
 */
export async function startProxyCluster({ nodeArgs = [], bin = BIN, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-bench-proxy-'));
  const dataDir = join(dir, 'data');
  const args = [...nodeArgs, bin, 'up', '--data-dir', dataDir, '--api-port', '0', ...extraArgs];
  args.push('--kubeconfig', join(dir, 'kubeconfig'), '--ingress-http-port', '0');
  // Host mode: the pods listen on 127.0.0.1 host ports, so nginx can reach the same backends.
  args.push('--network', 'host');
  const tracked = spawnTracked(process.execPath, args, { env: { ...process.env, HOME: dir } });
  const stop = async () => {
    const exit = await tracked.stop();
    const { reapPods } = await import(REAP);
    const reaped = await reapPods(dataDir);
    rmSync(dir, { recursive: true, force: true });
    return { ...exit, reapedContainers: reaped };
  };
  try {
    const urls = await waitForBanner(tracked, 30_000);
    return { pid: tracked.pid, ...urls, dir, dataDir, tracked, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
