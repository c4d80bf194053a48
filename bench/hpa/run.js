// Entry point of the HPA benchmark: reaction times of the HorizontalPodAutoscaler (load step ->
// scale decision -> first new pod Ready; load off -> scale-down) with Kubernetes' default periods
// and with 1 s periods, then the controller's CPU per sync for N HPAs. One JSON document out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanupAll, cleanupOnSignals } from '../api/cleanups.js';
import { nowMs, round } from '../api/stats.js';
import { requireKubectl } from '../node/cluster.js';
import { machineLoad } from '../node/proc.js';
import { withCluster } from './cluster.js';
import { controllerCost } from './cost.js';
import { environment, formatJson, headline } from './report.js';
import { reactionMode } from './modes.js';

const FULL = { defaultRuns: 3, fastRuns: 5, hpas: 500, costWindowS: 30, costSyncS: 5 };
// --quick: every phase, small and short, for checking the harness itself (~3 minutes).
const QUICK = { defaultRuns: 1, fastRuns: 2, hpas: 50, costWindowS: 10, costSyncS: 1 };
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

cleanupOnSignals(log);

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'default-runs': { type: 'string' },
      'fast-runs': { type: 'string' },
      hpas: { type: 'string' },
      'cost-window-s': { type: 'string' },
      'cost-sync-s': { type: 'string' },
      skip: { type: 'string', default: '' },
      out: { type: 'string' },
    },
  });
  const sizes = { ...(values.quick ? QUICK : FULL) };
  for (const [flag, key] of [
    ['default-runs', 'defaultRuns'],
    ['fast-runs', 'fastRuns'],
    ['hpas', 'hpas'],
    ['cost-window-s', 'costWindowS'],
    ['cost-sync-s', 'costSyncS'],
  ]) {
    if (values[flag] !== undefined) {
      sizes[key] = Number(values[flag]);
    }
  }
  const skip = new Set(values.skip.split(',').filter(Boolean));
  const custom = JSON.stringify(sizes) !== JSON.stringify(FULL) || skip.size > 0;
  // Non-default runs are written to their own file so they never replace the reference figures.
  const mode = values.quick ? 'quick' : custom ? 'custom' : 'full';
  return { mode, sizes, skip, out: values.out };
}

async function main() {
  const { mode, sizes, skip, out } = options();
  requireKubectl();
  const started = nowMs();
  const report = { benchmark: 'kubeproc HPA controller', date: new Date().toISOString(), mode };
  report.sizes = sizes;
  report.environment = environment();
  if (!skip.has('defaults')) {
    report.reactionDefaults = await reactionMode('defaults', sizes.defaultRuns, log);
  }
  if (!skip.has('fast')) {
    report.reaction1s = await reactionMode('fast', sizes.fastRuns, log);
  }
  if (!skip.has('cost')) {
    const cfg = {
      hpas: sizes.hpas,
      windowS: sizes.costWindowS,
      syncS: sizes.costSyncS,
      settleS: 5,
      canaryEveryS: 2,
    };
    const flags = { 'horizontal-pod-autoscaler-sync-period': `${cfg.syncS}s` };
    log(`cost: kubeproc with ${JSON.stringify(flags)}`);
    report.controllerCost = {
      kubeprocFlags: flags,
      ...(await withCluster({ flags, namespace: 'bench-hpa-cost', log }, (ctx) =>
        controllerCost(ctx, cfg, log),
      )),
      machineAtEnd: machineLoad(),
    };
  }
  report.totalSeconds = round((nowMs() - started) / 1000, 1);
  const { benchmark, date } = report;
  const ordered = { benchmark, date, mode, figures: headline(report), ...report };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const suffix = mode === 'full' ? '' : `-${mode}`;
  const file = out ?? `${dir}hpa-${report.date.slice(0, 10)}${suffix}.json`;
  const json = await formatJson(ordered, file, log);
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
