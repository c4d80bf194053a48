// Entry point of the node-agent benchmark: one real kubeproc (node agent on, 1 s metrics) running
// the fixture app as pods: apply -> Ready, kill -9 -> restarted, kubeproc CPU/RSS with idle pods,
// reported vs. measured container CPU. Prints one JSON document and writes it to bench/results/.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { memoryMb, sleep } from '../api/processes.js';
import { nowMs, round } from '../api/stats.js';
import { call } from '../controllers/client.js';
import { WatchCache } from '../controllers/watch-cache.js';
import { cpuAccuracy } from './accuracy.js';
import { readyNodeName, requireKubectl, startNodeCluster } from './cluster.js';
import { kubeprocWithPods, measureKubeproc } from './idle.js';
import { singlePodRuns } from './latency.js';
import { IDLE_ARGS } from './pods.js';
import { machineLoad } from './proc.js';
import { cleanupAll, cleanupOnSignals, onCleanup } from '../api/cleanups.js';

const FULL = { runs: 5, replicas: 50, cpuSeconds: 30, baselineSeconds: 10, accuracySeconds: 20 };
// --quick: the same phases, small and short, for checking the harness itself (~1 minute).
const QUICK = { runs: 2, replicas: 10, cpuSeconds: 5, baselineSeconds: 3, accuracySeconds: 6 };
const NAMESPACE = 'bench-node';
const BURNS = [0.5, 0.25];
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

cleanupOnSignals(log);

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      replicas: { type: 'string' },
      'cpu-s': { type: 'string' },
      'accuracy-s': { type: 'string' },
      out: { type: 'string' },
      'metric-resolution': { type: 'string', default: '1s' },
    },
  });
  const sizes = { ...(values.quick ? QUICK : FULL) };
  for (const [flag, key] of [
    ['runs', 'runs'],
    ['replicas', 'replicas'],
    ['cpu-s', 'cpuSeconds'],
    ['accuracy-s', 'accuracySeconds'],
  ]) {
    if (values[flag] !== undefined) {
      sizes[key] = Number(values[flag]);
    }
  }
  const metricResolution = values['metric-resolution'];
  const custom = JSON.stringify(sizes) !== JSON.stringify(FULL) || metricResolution !== '1s';
  // Non-default runs are written to their own file so they never replace the reference figures.
  const mode = values.quick ? 'quick' : custom ? 'custom' : 'full';
  return { mode, sizes, metricResolution, out: values.out };
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
    machineAtStart: machineLoad(),
    client: 'same machine; the pod watch, kubectl and /proc reads run beside kubeproc',
  };
}

/** Deletes every Deployment and pod of the bench namespace and waits (bounded) until none is left. */
async function emptyNamespace(ctx) {
  const opts = {
    method: 'DELETE',
    agent: ctx.agent,
    body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 },
  };
  await call(ctx.url, { ...opts, path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments` });
  await call(ctx.url, { ...opts, path: `/api/v1/namespaces/${NAMESPACE}/pods` });
  await ctx.pods.waitFor((c) => c.objects.size === 0, 'every bench pod gone', 60_000);
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

/** The phases in order; each one leaves the namespace empty for the next. */
async function phases(ctx, sizes, report) {
  log(`baseline: kubeproc with no pods for ${sizes.baselineSeconds} s`);
  report.kubeprocNoPods = await measureKubeproc(ctx, sizes.baselineSeconds);
  report.singlePod = await singlePodRuns(ctx, sizes.runs, log);
  const common = { replicas: sizes.replicas, settleSeconds: 5, seconds: sizes.cpuSeconds };
  log(
    `phase 1/3: Deployment of ${sizes.replicas} probed pods -> Ready, then ${sizes.cpuSeconds} s idle`,
  );
  report.podsWithReadinessProbes = await kubeprocWithPods(ctx, {
    ...common,
    name: 'probed',
    appOpts: { probe: true },
  });
  log(`phase 3: ${sizes.replicas} idle pods without probes, ${sizes.cpuSeconds} s`);
  report.idlePodsWithoutProbes = await kubeprocWithPods(ctx, {
    ...common,
    name: 'idle',
    appOpts: { args: IDLE_ARGS },
  });
  log(`phase 4: reported vs measured CPU of pods burning ${BURNS.join(' and ')} cores`);
  report.cpuAccuracy = await cpuAccuracy(ctx, {
    burns: BURNS,
    seconds: sizes.accuracySeconds,
    settleSeconds: 3,
  });
}

/** The headline figures, flat, with units in their names. */
function headline(report) {
  const probed = report.podsWithReadinessProbes;
  const idle = report.idlePodsWithoutProbes;
  const burn = (target) => report.cpuAccuracy.containers.find((c) => c.burnTargetCores === target);
  return {
    applyToReadyMs: report.singlePod.median.applyToReadyMs,
    deploymentApplyToAllReadyMs: probed.toReady.applyToAllPodsReadyMs,
    restartAfterKillToRunningMs: report.singlePod.median.killToRunningMs,
    kubeprocCpuPercentNoPods: report.kubeprocNoPods.cpuPercentOfOneCore,
    kubeprocCpuPercentIdlePods: idle.kubeproc.cpuPercentOfOneCore,
    kubeprocRssMbIdlePods: idle.kubeproc.rssMb,
    kubeprocCpuPercentProbedPods: probed.kubeproc.cpuPercentOfOneCore,
    kubeprocRssMbProbedPods: probed.kubeproc.rssMb,
    cpuErrorPercentBurn050: burn(0.5)?.errorPercent,
    cpuErrorPercentBurn025: burn(0.25)?.errorPercent,
    loadavg1mAtEnd: machineLoad().loadavg1m,
  };
}

async function main() {
  const { mode, sizes, metricResolution, out } = options();
  requireKubectl();
  const started = nowMs();
  const report = { benchmark: 'kubeproc node agent', date: new Date().toISOString(), mode, sizes };
  report.metricResolution = metricResolution;
  report.environment = environment();
  const cluster = await startNodeCluster({ metricResolution });
  onCleanup(() => cluster.stop().then((exit) => (report.kubeprocExit = exit)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  onCleanup(async () => agent.destroy());
  const nodeName = await readyNodeName(cluster);
  await call(cluster.url, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    agent,
  });
  const pods = new WatchCache({ url: cluster.url, path: `/api/v1/namespaces/${NAMESPACE}/pods` });
  await pods.start();
  onCleanup(async () => pods.stop());
  const ctx = { ...cluster, namespace: NAMESPACE, nodeName, agent, pods };
  onCleanup(() => emptyNamespace(ctx));
  await sleep(1000);
  report.kubeprocAtStart = memoryMb(cluster.pid);
  await phases(ctx, sizes, report);
  report.kubeprocAtEnd = memoryMb(cluster.pid);
  report.podWatchRelists = pods.relists;
  report.totalSeconds = round((nowMs() - started) / 1000, 1);
  await cleanupAll(log);
  // The headline figures first, then the details they come from.
  const { benchmark, date } = report;
  const ordered = { benchmark, date, mode, figures: headline(report), ...report };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const suffix = mode === 'full' ? '' : `-${mode}`;
  const file = out ?? `${dir}node-${report.date.slice(0, 10)}${suffix}.json`;
  const json = await formatJson(ordered, file);
  mkdirSync(dirname(file), { recursive: true });
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
