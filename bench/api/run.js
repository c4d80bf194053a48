// Entry point of the API benchmark: runs the kubeproc suite and the etcd storage peer, checks
// the targets, prints one JSON document and writes it to bench/results/api-<date>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runEtcdPeer } from './etcd-peer.js';
import { runKubeprocSuite } from './kubeproc-suite.js';
import { evaluateTargets } from './targets.js';
import { nowMs, round } from './stats.js';

const FULL = {
  coldStarts: 5,
  idleMs: 5000,
  warmup: 200,
  crudOps: 2000,
  concurrency: 16,
  listSizes: [1000, 10000],
  listRepeat: 10,
  watchers: 100,
  watchWrites: 1000,
};
// --quick: the same phases at a tenth of the size, for checking the harness itself.
const QUICK = {
  ...FULL,
  coldStarts: 2,
  idleMs: 1000,
  warmup: 20,
  crudOps: 200,
  listSizes: [100, 1000],
  listRepeat: 3,
  watchers: 10,
  watchWrites: 100,
};

const running = new Set();
/** Remembers a started server so a signal or crash still stops it (by PID). */
async function track(startPromise) {
  const server = await startPromise;
  const stop = server.stop;
  running.add(server);
  server.stop = async () => {
    running.delete(server);
    return stop();
  };
  return server;
}

async function stopAll() {
  await Promise.allSettled([...running].map((s) => s.stop()));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(130));
  });
}

function environment() {
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    }).trim();
  } catch (e) {
    commit = `unknown (${e.message.split('\n')[0]})`;
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    kernel: os.release(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    kubeprocCommit: commit,
    client: 'same machine, node:http keep-alive Agent; watch streams parsed in a worker thread',
  };
}

/** Pretty JSON in the repository's Prettier style (so `npm run format:check` passes), if present. */
async function formatJson(report, file) {
  const plain = `${JSON.stringify(report, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(plain, { ...options, parser: 'json' });
  } catch (e) {
    process.stderr.write(`bench: prettier unavailable (${e.message}); writing plain JSON\n`);
    return plain;
  }
}

async function main() {
  const quick = process.argv.includes('--quick');
  const skipPeer = process.argv.includes('--no-peer');
  const sizes = quick ? QUICK : FULL;
  const started = nowMs();
  const report = {
    benchmark: 'kubeproc API',
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    sizes,
    environment: environment(),
  };
  const kubeproc = await runKubeprocSuite(sizes, track);
  const samplePod = kubeproc.samplePod;
  delete kubeproc.samplePod;
  report.kubeproc = kubeproc;
  if (skipPeer) {
    report.peer = null;
    report.peerReason = 'skipped (--no-peer)';
  } else {
    const peer = await runEtcdPeer(sizes, samplePod, track);
    report.peer = peer.peer;
    if (peer.reason) {
      report.peerReason = peer.reason;
    }
  }
  report.targets = evaluateTargets(kubeproc);
  report.totalSeconds = round((nowMs() - started) / 1000, 1);
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}api-${report.date.slice(0, 10)}${quick ? '-quick' : ''}.json`;
  const json = await formatJson(report, file);
  writeFileSync(file, json);
  process.stdout.write(json);
  process.stderr.write(`bench: wrote ${file}\n`);
}

main().then(
  () => stopAll(),
  async (e) => {
    process.stderr.write(
      `bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    await stopAll();
    process.exitCode = 1;
  },
);
