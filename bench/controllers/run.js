// Entry point of the controller benchmark: one kubeproc process, a FakeKubelet playing the node
// agent, and four phases (apply -> Ready, rolling update, 1,000 pods: CPU/RSS/scale, delete).
// Prints one JSON document and writes it to bench/results/controllers-<date>.json.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { memoryMb, sleep } from '../api/processes.js';
import { median, nowMs, round } from '../api/stats.js';
import { call } from './client.js';
import { cpuMeter, metered, startCluster } from './cluster.js';
import { startApiProbe } from './api-probe.js';
import { FakeKubelet } from './fake-kubelet.js';
import { observe } from './observer.js';
import { applyToReady, deleteDeployment, kubectlRolloutStatus, rollingUpdate } from './rollout.js';
import { bigDeployment, deleteBig } from './scale.js';
import { cleanupAll, cleanupOnSignals, onCleanup } from '../api/cleanups.js';

const FULL = { replicas: 50, runs: 3, bigReplicas: 1000, idleSeconds: 30 };
// --quick: the same phases, small, for checking the harness itself.
const QUICK = { replicas: 10, runs: 1, bigReplicas: 100, idleSeconds: 3 };
const NAMESPACE = 'bench-controllers';
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

cleanupOnSignals(log);

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      replicas: { type: 'string' },
      big: { type: 'string' },
      'idle-s': { type: 'string' },
      'kubelet-delay-ms': { type: 'string', default: '0' },
      'kubelet-concurrency': { type: 'string', default: '8' },
    },
  });
  const sizes = { ...(values.quick ? QUICK : FULL) };
  for (const [flag, key] of [
    ['runs', 'runs'],
    ['replicas', 'replicas'],
    ['big', 'bigReplicas'],
    ['idle-s', 'idleSeconds'],
  ]) {
    if (values[flag] !== undefined) {
      sizes[key] = Number(values[flag]);
    }
  }
  const kubeletDefaults =
    values['kubelet-delay-ms'] === '0' && values['kubelet-concurrency'] === '8';
  const custom = JSON.stringify(sizes) !== JSON.stringify(FULL) || !kubeletDefaults;
  // Non-default runs are written to their own file so they never replace the reference figures.
  return {
    mode: values.quick ? 'quick' : custom ? 'custom' : 'full',
    sizes,
    kubelet: {
      delayMs: Number(values['kubelet-delay-ms']),
      concurrency: Number(values['kubelet-concurrency']),
    },
  };
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
    client: 'same machine; observer watches and the FakeKubelet run in the bench process',
  };
}

/** Medians of the numeric fields over runs (one level of nesting too). */
function medians(runs) {
  const out = {};
  for (const [key, first] of Object.entries(runs[0] ?? {})) {
    if (typeof first === 'number') {
      out[key] = round(median(runs.map((r) => r[key])), 1);
    } else if (first && typeof first === 'object' && !Array.isArray(first)) {
      const nested = medians(runs.map((r) => r[key]));
      if (Object.keys(nested).length > 0) {
        out[key] = nested;
      }
    }
  }
  return out;
}

/** Phases 1 and 2, `runs` times on fresh Deployments (deleted after each run). */
async function rolloutPhases(ctx, sizes) {
  const apply = [];
  const update = [];
  const deletes = [];
  const kubectl = [];
  for (let i = 0; i < sizes.runs; i++) {
    const name = `web-${i}`;
    log(
      `phase 1: apply ${name} (${sizes.replicas} replicas) -> Ready (run ${i + 1}/${sizes.runs})`,
    );
    apply.push(await metered(ctx, () => applyToReady(ctx, name, sizes.replicas)));
    kubectl.push({
      after: `apply ${name}`,
      ...(await kubectlRolloutStatus(ctx.kubeconfig, NAMESPACE, name)),
    });
    log(`phase 2: rolling update of ${name}`);
    update.push(await metered(ctx, () => rollingUpdate(ctx, name, sizes.replicas)));
    kubectl.push({
      after: `update ${name}`,
      ...(await kubectlRolloutStatus(ctx.kubeconfig, NAMESPACE, name)),
    });
    deletes.push(await metered(ctx, () => deleteDeployment(ctx, name)));
  }
  return {
    applyToReady: { runs: apply, median: medians(apply) },
    rollingUpdate: {
      runs: update,
      median: medians(update),
      minAvailablePodsObservedOverRuns: Math.min(...update.map((u) => u.minAvailablePodsObserved)),
      allWithinMaxUnavailable: update.every((u) => u.withinMaxUnavailable),
      allWithinMaxSurge: update.every((u) => u.withinMaxSurge),
    },
    deleteSmall: { runs: deletes, median: medians(deletes) },
    kubectlRolloutStatus: kubectl,
  };
}

/** Correctness of what was timed: each check is true when kubeproc behaved as Kubernetes does. */
function checks(report, sizes) {
  const big = report.thousandPods;
  const out = {
    rollingUpdateNeverBelowMinAvailable: report.rollingUpdate.allWithinMaxUnavailable,
    rollingUpdateNeverAboveMaxSurge: report.rollingUpdate.allWithinMaxSurge,
    kubectlRolloutStatusSucceeded: report.kubectlRolloutStatus.every((k) => k.exitCode === 0),
    bigDeploymentAvailable: big.create.status.availableReplicas === sizes.bigReplicas,
    nothingLeftAfterDelete:
      report.deleteThousand.leftAfter.pods === 0 &&
      report.deleteThousand.leftAfter.replicaSets === 0,
    noWarningEvents: big.eventsInNamespace.warnings.length === 0,
    fakeKubeletWithoutErrors: report.fakeKubelet.errors === 0,
  };
  return { ...out, allPass: Object.values(out).every(Boolean) };
}

/** Pretty JSON in the repository's Prettier style, if Prettier is installed. */
async function formatJson(report, file) {
  const plain = `${JSON.stringify(report, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(plain, { ...config, parser: 'json' });
  } catch (e) {
    log(`prettier unavailable (${e.message}); writing plain JSON`);
    return plain;
  }
}

async function main() {
  const { mode, sizes, kubelet } = options();
  const started = nowMs();
  const report = {
    benchmark: 'kubeproc controllers',
    date: new Date().toISOString(),
    mode,
    sizes,
    environment: environment(),
  };
  const cluster = await startCluster();
  onCleanup(() => cluster.stop());
  await sleep(1000);
  report.kubeprocIdleAtStart = memoryMb(cluster.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  onCleanup(async () => agent.destroy());
  await call(cluster.url, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    agent,
  });
  const fake = new FakeKubelet({ url: cluster.url, namespace: NAMESPACE, ...kubelet });
  await fake.start();
  onCleanup(async () => fake.stop());
  const obs = await observe(cluster.url, NAMESPACE);
  onCleanup(async () => obs.stop());
  const probe = startApiProbe(cluster.url);
  onCleanup(() => probe.stop());
  const ctx = { ...cluster, namespace: NAMESPACE, obs, agent, probe };
  const whole = cpuMeter(cluster.pid);
  report.fakeKubelet = { ...kubelet };
  Object.assign(report, await rolloutPhases(ctx, sizes));
  report.thousandPods = await bigDeployment(ctx, {
    name: 'big',
    replicas: sizes.bigReplicas,
    idleSeconds: sizes.idleSeconds,
  });
  report.deleteThousand = await deleteBig(ctx, 'big');
  report.kubeprocWholeRun = whole.end();
  report.fakeKubelet = { ...kubelet, ...fake.stats };
  report.observerRelists = obs.relists();
  report.checks = checks(report, sizes);
  report.totalSeconds = round((nowMs() - started) / 1000, 1);
  await cleanupAll(log);
  report.kubeprocExit = cluster.tracked.exited;
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const suffix = mode === 'full' ? '' : `-${mode}`;
  const file = `${dir}controllers-${report.date.slice(0, 10)}${suffix}.json`;
  const json = await formatJson(report, file);
  writeFileSync(file, json);
  process.stdout.write(json);
  log(`wrote ${file}`);
}

main().then(
  () => cleanupAll(log),
  async (e) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await cleanupAll(log);
    process.exitCode = 1;
  },
);
