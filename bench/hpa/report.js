// The HPA benchmark's report: the machine it ran on, the headline figures (measured beside what
// theory.js expects), and the JSON in the repository's Prettier style.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from '../api/stats.js';
import { machineLoad } from '../node/proc.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const git = (args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

/**
 * Which build ran: the HPA code may be uncommitted, so the commit alone does not say; a hash of
 * the built HPA controller, autoscaling library and metrics server, and when it was built.
 */
function distFingerprint() {
  const hash = createHash('sha1');
  let builtAt = 0;
  for (const dir of ['controllers/horizontal-pod-autoscaler', 'autoscaling', 'metrics']) {
    const abs = join(ROOT, 'dist', dir);
    for (const name of readdirSync(abs, { recursive: true }).sort()) {
      const file = join(abs, String(name));
      if (file.endsWith('.js') && statSync(file).isFile()) {
        hash.update(readFileSync(file));
        builtAt = Math.max(builtAt, statSync(file).mtimeMs);
      }
    }
  }
  return { sha1: hash.digest('hex').slice(0, 12), builtAt: new Date(builtAt).toISOString() };
}

/** Node, kernel, CPUs, commit, build and load at start. */
export function environment() {
  let commit;
  let uncommittedFiles;
  try {
    commit = git(['rev-parse', '--short', 'HEAD']);
    uncommittedFiles = git(['status', '--porcelain']).split('\n').filter(Boolean).length;
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
    uncommittedFiles,
    hpaDist: distFingerprint(),
    machineAtStart: machineLoad(),
    client: 'same machine; the watches, the load generator and /proc reads run beside kubeproc',
  };
}

/** Pretty JSON in the repository's Prettier style, if Prettier is installed. */
export async function formatJson(report, file, log) {
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

const seconds = (ms) => (typeof ms === 'number' ? round(ms / 1000, 1) : null);

/** Measured median / max (s) of one figure beside the expected mean / max. */
function pair(mode, key, theoryKey) {
  const m = mode.summary[key];
  const t = mode.theory[theoryKey];
  return {
    medianS: seconds(m?.median),
    maxS: seconds(m?.max),
    runs: m?.n ?? 0,
    expectedMeanS: t.meanS,
    expectedMaxS: t.maxS,
  };
}

function reactionFigures(mode) {
  if (!mode) {
    return undefined;
  }
  return {
    loadToScaleDecision: pair(mode, 'loadToDecisionMs', 'loadToDecision'),
    loadToFirstNewPodReady: pair(mode, 'loadToFirstNewPodReadyMs', 'loadToFirstNewPodReady'),
    loadStopToScaleDownWindow10s: pair(mode, 'stopToScaleDownMs', 'stopToScaleDown'),
    loadStopToScaleDownDefaultWindow5mExpectedMeanS:
      mode.theory.stopToScaleDownWithDefaultWindow5m.meanS,
    metricsPipelineLagMs: mode.metricsPipeline.medianLagMs,
  };
}

/** The headline figures, flat, with units in their names. */
export function headline(report) {
  const cost = report.controllerCost;
  return {
    reactionDefaults: reactionFigures(report.reactionDefaults),
    reaction1s: reactionFigures(report.reaction1s),
    controllerCost: cost && {
      hpas: cost.hpas,
      syncPeriodS: cost.syncPeriodS,
      cpuMsPerSync: cost.perSync.cpuMsPerSync,
      extraCpuPercentOfOneCore: cost.perSync.extraCpuPercent,
      impliedCpuPercentAtDefault15s: cost.perSync.impliedCpuPercentAtDefault15s,
      canaryPatchToStatusP50MsWithHpas: cost.withHpas.canaryPatchToStatus.p50Ms,
      canaryPatchToStatusP50MsWithout: cost.withoutHpasBefore.canaryPatchToStatus.p50Ms,
      allHpasFirstSyncedMs: cost.createHpas.firstPostToAllWithMetricMs,
      podsStartedMs: cost.startPods.createToAllReadyMs,
    },
    loadavg1mAtEnd: machineLoad().loadavg1m,
  };
}
