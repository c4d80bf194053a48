// Starting and stopping the built kubeproc (`bin/kubeproc.js up`) on a free loopback port with a
// fresh data dir, timing spawn -> first 200 on GET /version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnTracked, waitReady } from './processes.js';
import { nowMs } from './stats.js';

// BENCH_KUBEPROC_BIN points at another build (e.g. a second checkout) to compare.
const BIN =
  process.env.BENCH_KUBEPROC_BIN ??
  fileURLToPath(new URL('../../bin/kubeproc.js', import.meta.url));
const LISTENING = /API listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts kubeproc in the foreground with a fresh temp dir. Resolves once GET /version answers
 * 200, with { pid, url, readyMs, listeningLineMs, stop() }; stop() also removes the temp dir.
 */
export async function startKubeproc() {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproc-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let listeningLineMs = Number.NaN;
  let onLine;
  const lineSeen = new Promise((r) => (onLine = r));
  // Extra node flags for diagnosis, e.g. BENCH_KUBEPROC_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_KUBEPROC_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [
    ...nodeArgs,
    BIN,
    'up',
    '--data-dir',
    join(dir, 'data'),
    '--api-port',
    String(port),
    '--kubeconfig',
    join(dir, 'kubeconfig'),
  ];
  const tracked = spawnTracked(process.execPath, args, {
    onStdout: (text) => {
      const m = LISTENING.exec(text);
      if (m && Number.isNaN(listeningLineMs)) {
        listeningLineMs = nowMs() - tracked.spawnedAt;
        onLine();
        if (m[1] !== url) {
          process.stderr.write(`bench: kubeproc announced ${m[1]}, expected ${url}\n`);
        }
      }
    },
  });
  const cleanup = async () => {
    const exit = await tracked.stop();
    rmSync(dir, { recursive: true, force: true });
    return exit;
  };
  try {
    const readyMs = await waitReady(tracked, `${url}/version`);
    // kubeproc answers /version before it writes the kubeconfig and prints its banner.
    const listeningLine = async (timeoutMs = 10_000) => {
      let timer;
      await Promise.race([lineSeen, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      return listeningLineMs;
    };
    return { pid: tracked.pid, url, readyMs, listeningLine, stop: cleanup, tracked };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Spawns `node -e 0` and times it to exit: the floor any Node server's cold start sits on. */
export async function nodeBaselineMs() {
  const tracked = spawnTracked(process.execPath, ['-e', '0']);
  await new Promise((r) => tracked.child.once('exit', r));
  return nowMs() - tracked.spawnedAt;
}
