// Entry point of the proxy benchmark: the same two backend pods behind kubeproc's ingress and
// behind nginx (1 worker and `auto`), and hit directly as a ceiling, by wrk at concurrency 50.
// Prints one JSON document (medians, ratios to nginx, the target) and writes it to bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { memoryMb } from '../api/processes.js';
import { nowMs, round } from '../api/stats.js';
import { cleanupAll, onCleanup } from '../api/cleanups.js';
import { containerState, portMap } from '../node/pods.js';
import { machineLoad } from '../node/proc.js';
import { startBaseline } from './baseline.js';
import { startProxyCluster } from './cluster.js';
import { compare, measureTargets, summarizeRuns } from './measure.js';
import { startMinimalProxy, startNginx } from './references.js';
import { profileNodeArgs, summarizeProfiles } from './profile.js';
import { requireTool, toolVersion } from './tools.js';
import { backendPods, deployBackends } from './workload.js';
import { spreadScript } from './wrk.js';

const FULL = { rounds: 3, seconds: 15, warmupSeconds: 5, connections: 50, threads: 2 };
// nginx's `keepalive` caps the idle upstream connections each worker keeps; below the connections
// one worker has open (50 with one worker) it closes the excess after every response.
const NGINX_KEEPALIVE = 64;
// --quick: one short round, for checking the harness itself (~40 s).
const QUICK = { ...FULL, rounds: 1, seconds: 4, warmupSeconds: 1 };
const REPLICAS = 2;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// One cleanup pass, shared: on Ctrl-C the interrupted run fails too, and two concurrent passes
// over the same stack would let the first to finish exit while the other still reaps pods.
let cleaning;
const cleanupOnce = () => (cleaning ??= cleanupAll(log));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanupOnce().then(() => process.exit(130));
  });
}

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-dir': { type: 'string' },
      'nginx-keepalive': { type: 'string' },
      'baseline-bin': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const sizes = { ...(values.quick ? QUICK : FULL), pauseMs: 1000 };
  sizes.nginxKeepalive = Number(values['nginx-keepalive'] ?? NGINX_KEEPALIVE);
  if (values.rounds !== undefined) {
    sizes.rounds = Number(values.rounds);
  }
  if (values.seconds !== undefined) {
    sizes.seconds = Number(values.seconds);
  }
  const isCustom = [values.rounds, values.seconds, values['nginx-keepalive']].some(
    (v) => v !== undefined,
  );
  // Quick, custom and profiled runs get their own file so they never replace the reference one.
  const isProfile = values.profile || values['profile-dir'] !== undefined;
  const mode = isProfile ? 'profile' : values.quick ? 'quick' : isCustom ? 'custom' : 'full';
  // Profiles are kept in --profile-dir; with --profile alone they go to a temp dir.
  return {
    mode,
    sizes,
    out: values.out,
    isProfile,
    keptProfileDir: values['profile-dir'] && resolve(values['profile-dir']),
    baselineBin: values['baseline-bin'] && resolve(values['baseline-bin']),
    // A second kubeproc of this build whose ingress runs on N worker processes (0: none).
    workers: Number(values.workers ?? 2),
  };
}

function environment(nginx, wrk) {
  const git = (args) =>
    execFileSync('git', args, {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    }).trim();
  let commit;
  try {
    commit = git(['rev-parse', '--short', 'HEAD']);
    // The figures describe the built dist/, which may hold work not yet committed.
    if (git(['status', '--porcelain', '--', 'src']) !== '') {
      commit += ' + uncommitted changes in src/';
    }
  } catch (e) {
    commit = `unknown (${e.message.split('\n')[0]})`;
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    kernel: os.release(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    kubeprocCommit: commit,
    nginx: { ...nginx, version: toolVersion(nginx.path, ['-v'], /nginx\/(\S+)/) },
    wrk: { ...wrk, version: toolVersion(wrk.path, ['-v'], /wrk (\S+)/) },
    machineAtStart: machineLoad(),
    sharing: `wrk, the proxy under test, both backends and kubeproc itself share these ${cpus.length} cores`,
  };
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

/** Starts both nginx variants in front of endpoints; each is stopped by the cleanup stack. */
async function startNginxes(binary, endpoints, keepalive) {
  const out = {};
  for (const workers of ['1', 'auto']) {
    const nginx = await startNginx({ binary, workers, endpoints, keepalive });
    onCleanup(() => nginx.stop());
    out[workers] = nginx;
  }
  return out;
}

/** The minimal Node proxy as a target (profiled into profileDir/minimal-proxy when given). */
async function minimalTarget(endpoints, backends, profileDir) {
  const nodeArgs = profileNodeArgs(profileDir && join(profileDir, 'minimal-proxy'));
  const minimal = await startMinimalProxy(endpoints, nodeArgs);
  onCleanup(() => minimal.stop());
  return {
    name: 'nodeMinimal',
    url: `${minimal.url}/`,
    cpu: { proxy: { pid: minimal.pid }, backends },
  };
}

/**
 * The targets in run order: nginx (1 worker), kubeproc, nginx (auto), minimal Node, direct.
 * A profiled run has only kubeproc and the minimal Node proxy.
 */
async function targetsOf(opts) {
  const { cluster, endpoints, backendPids, nginxBinary, nginxKeepalive, profileDir, tmp } = opts;
  const { baseline, withWorkers } = opts;
  const backends = { pids: backendPids };
  const kubeproc = {
    name: 'kubeproc',
    url: `${cluster.ingressUrl}/`,
    cpu: { proxy: { pid: cluster.pid }, backends },
  };
  if (profileDir) {
    return [kubeproc, await minimalTarget(endpoints, backends, profileDir)];
  }
  const nginx = await startNginxes(nginxBinary, endpoints, nginxKeepalive);
  const ofNginx = (workers, name) => ({
    name,
    url: `${nginx[workers].url}/`,
    workerProcesses: workers,
    workerPids: nginx[workers].workerPids,
    cpu: { proxy: { pid: nginx[workers].pid, isTree: true }, backends },
  });
  const direct = {
    name: 'direct',
    url: `http://${endpoints[0]}/`,
    script: spreadScript(tmp, endpoints),
    cpu: { backends },
  };
  const nginxAuto = ofNginx('auto', 'nginxAuto');
  const nodeMinimal = await minimalTarget(endpoints, backends);
  const before = baseline && {
    name: 'kubeprocBaseline',
    url: `${baseline.ingressUrl}/`,
    cpu: { proxy: { pid: baseline.pid }, backends },
  };
  // The tree: kubeproc (it accepts and hands each connection over) and its workers.
  const workers = withWorkers && {
    name: 'kubeprocWorkers',
    url: `${withWorkers.ingressUrl}/`,
    workerProcesses: withWorkers.workers,
    cpu: { proxy: { pid: withWorkers.pid, isTree: true }, backends },
  };
  return [
    ofNginx('1', 'nginx1'),
    kubeproc,
    ...(workers ? [workers] : []),
    ...(before ? [before] : []),
    nginxAuto,
    nodeMinimal,
    direct,
  ];
}

/** Medians per target, ratios of kubeproc to each nginx, and the headline figures. */
function results(runs, sizes) {
  const summary = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarizeRuns(v)]));
  const vs = (n, k = 'kubeproc') => compare(summary[k], summary[n], runs[k], runs[n]);
  const ratios = summary.nginx1 ? { vsNginx1: vs('nginx1'), vsNginxAuto: vs('nginxAuto') } : {};
  if (summary.nginx1 && summary.kubeprocWorkers) {
    ratios.workersVsNginx1 = vs('nginx1', 'kubeprocWorkers');
    ratios.workersVsNginxAuto = vs('nginxAuto', 'kubeprocWorkers');
  }
  if (summary.nginx1 && summary.kubeprocBaseline) {
    ratios.baselineVsNginx1 = vs('nginx1', 'kubeprocBaseline');
    ratios.baselineVsNginxAuto = vs('nginxAuto', 'kubeprocBaseline');
  }
  const figures = {};
  for (const [name, s] of Object.entries(summary)) {
    const { requestsPerSec, p50Ms, p99Ms, proxyCpuUsPerRequest } = s;
    figures[name] = { requestsPerSec, p50Ms, p99Ms, proxyCpuUsPerRequest };
  }
  if (ratios.vsNginx1) {
    figures.kubeprocVsNginx1 = pickRatios(ratios.vsNginx1);
    figures.kubeprocVsNginxAuto = pickRatios(ratios.vsNginxAuto);
  }
  if (ratios.workersVsNginx1) {
    figures.workersVsNginx1 = pickRatios(ratios.workersVsNginx1);
    figures.workersVsNginxAuto = pickRatios(ratios.workersVsNginxAuto);
  }
  if (ratios.baselineVsNginx1) {
    figures.baselineVsNginx1 = pickRatios(ratios.baselineVsNginx1);
    figures.baselineVsNginxAuto = pickRatios(ratios.baselineVsNginxAuto);
  }
  figures.target = `throughput >= 0.5 x nginx and p99 <= 2 x nginx, ${sizes.connections} connections`;
  return { figures, summary, ratios };
}

function pickRatios(r) {
  const { throughputRatio, p50Ratio, p99Ratio, cpuPerRequestRatio, isTargetMet } = r;
  return { throughputRatio, p50Ratio, p99Ratio, cpuPerRequestRatio, isTargetMet };
}

async function setUp(report, { isProfile, keptProfileDir, baselineBin, workers }) {
  const nginxTool = requireTool('nginx', 'nginx-light', log);
  const wrkTool = requireTool('wrk', 'wrk', log);
  report.environment = environment(nginxTool, wrkTool);
  const tmp = mkdtempSync(join(os.tmpdir(), 'kubeproc-bench-proxy-wrk-'));
  onCleanup(async () => rmSync(tmp, { recursive: true, force: true }));
  const profileDir = isProfile ? (keptProfileDir ?? join(tmp, 'profile')) : undefined;
  if (profileDir) {
    // Runs after kubeproc and the minimal proxy have stopped (each writes its profile on exit),
    // before tmp is removed.
    onCleanup(async () => {
      report.profile = {
        dir: keptProfileDir ?? '(temporary, removed)',
        kubeproc: summarizeProfiles(join(profileDir, 'kubeproc'), ' proxy/'),
        nodeMinimal: summarizeProfiles(join(profileDir, 'minimal-proxy')),
      };
    });
  }
  const cluster = await startProxyCluster({
    nodeArgs: profileNodeArgs(profileDir && join(profileDir, 'kubeproc')),
  });
  onCleanup(() => cluster.stop().then((exit) => (report.kubeprocExit = exit)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  onCleanup(async () => agent.destroy());
  const ctx = { ...cluster, agent };
  log(`kubeproc up (pid ${cluster.pid}), ingress ${cluster.ingressUrl}; deploying backends`);
  const endpoints = await deployBackends(ctx, REPLICAS);
  const pods = await backendPods(ctx);
  const backendPids = pods.map((p) => containerState(cluster.dataDir, p, 0, 'backend').rootPid);
  let baseline;
  if (baselineBin && !profileDir) {
    baseline = await startBaseline(baselineBin, endpoints, agent, log);
    onCleanup(() => baseline.stop().then((exit) => (report.baselineExit = exit)));
    report.baselineBin = baselineBin;
  }
  let withWorkers;
  if (workers > 0 && !profileDir) {
    withWorkers = await startBaseline(undefined, endpoints, agent, log, {
      extraArgs: ['--ingress-workers', String(workers)],
      serviceCidr: '127.98.0.0/16',
      label: `${workers}-worker`,
    });
    withWorkers.workers = workers;
    onCleanup(() => withWorkers.stop().then((exit) => (report.workersExit = exit)));
  }
  const targets = await targetsOf({
    baseline,
    withWorkers,
    cluster,
    endpoints,
    backendPids,
    nginxBinary: nginxTool.path,
    nginxKeepalive: report.sizes.nginxKeepalive,
    profileDir,
    tmp,
  });
  report.setup = {
    backends: pods.map((p) => ({ pod: p.metadata.name, hostPort: portMap(p)['8080'] })),
    endpoints,
    kubeprocIngress: cluster.ingressUrl,
    targets: targets.map(({ name, url, workerProcesses, workerPids }) => ({
      name,
      url,
      ...(workerProcesses
        ? { workerProcesses, workers: workerPids?.length ?? Number(workerProcesses) }
        : {}),
    })),
  };
  return { cluster, targets };
}

async function main() {
  const { mode, sizes, out, ...profiling } = options();
  const started = nowMs();
  const report = { benchmark: 'kubeproc ingress vs nginx', date: new Date().toISOString(), mode };
  report.sizes = sizes;
  const { cluster, targets } = await setUp(report, profiling);
  const runs = await measureTargets(targets, sizes, log);
  Object.assign(report, results(runs, sizes));
  report.runs = runs;
  report.kubeprocMemory = memoryMb(cluster.pid);
  report.machineAtEnd = machineLoad();
  await cleanupOnce();
  report.totalSeconds = round((nowMs() - started) / 1000, 1);
  const { benchmark, date, figures } = report;
  const ordered = { benchmark, date, mode, figures, ...report };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const suffix = mode === 'full' ? '' : `-${mode}`;
  const file = out ?? `${dir}proxy-${report.date.slice(0, 10)}${suffix}.json`;
  const json = await formatJson(ordered, file);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, json);
  process.stdout.write(json);
  log(`wrote ${file}`);
}

main().then(
  () => cleanupOnce(),
  async (e) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await cleanupOnce();
    process.exitCode = 1;
  },
);
