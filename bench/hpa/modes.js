// The two reaction configurations: Kubernetes' default periods (sync 15 s, metric resolution
// 15 s) and 1 s periods; each gets its own kubeproc, a 2-replica fixture-app Deployment, the
// metrics pipeline's offset, the runs, and what theory.js expects for them.
import { machineLoad } from '../node/proc.js';
import { create, isReady } from '../node/pods.js';
import { withCluster } from './cluster.js';
import { metricsPipelineOffset } from './pipeline.js';
import { reactionRuns } from './reaction.js';
import { reactionTheory } from './theory.js';
import { webDeployment } from './workload.js';

// The downscale stabilization is 10 s in both (5 m would make each run 5 minutes longer); it
// does not change scale-up: without `behavior`, the window holds back only scale-downs.
const WINDOW = '10s';
export const MODES = {
  defaults: {
    label: 'defaults (sync 15s, resolution 15s)',
    resolutionS: 15,
    syncS: 15,
    flags: {
      'horizontal-pod-autoscaler-sync-period': '15s',
      'metric-resolution': '15s',
      'horizontal-pod-autoscaler-downscale-stabilization': WINDOW,
    },
  },
  fast: {
    label: '1 s periods (sync 1s, resolution 1s)',
    resolutionS: 1,
    syncS: 1,
    flags: {
      'horizontal-pod-autoscaler-sync-period': '1s',
      'metric-resolution': '1s',
      'horizontal-pod-autoscaler-downscale-stabilization': WINDOW,
    },
  },
};

// The load: 0.1 cores per pod on requests of 100m, i.e. 100 % against a 50 % target.
const LOAD = { cores: 0.1, requestCores: 0.1, targetPercent: 50, tolerance: 0.1 };

/** Runs `runs` reaction runs with the periods of MODES[kind] on a kubeproc of their own. */
export async function reactionMode(kind, runs, log) {
  const m = MODES[kind];
  const { resolutionS: R, syncS: S } = m;
  log(`${m.label}: kubeproc with ${JSON.stringify(m.flags)}`);
  const result = await withCluster({ flags: m.flags, namespace: 'bench-hpa', log }, async (ctx) => {
    await create(
      ctx,
      `/apis/apps/v1/namespaces/${ctx.namespace}/deployments`,
      webDeployment('web', 2),
    );
    const twoReady = (c) => [...c.objects.values()].filter(isReady).length >= 2;
    // The offset is measured while the first run starts (it only polls two cheap endpoints).
    const offset = metricsPipelineOffset(ctx, {
      seconds: Math.max(6, 2.2 * R + 1),
      resolutionS: R,
    });
    await ctx.pods.waitFor(twoReady, '2 web pods Ready', 120_000);
    const timeoutMs = (4 * R + 3 * S + 60) * 1000;
    const thresholds = {
      upPercent: (1 + LOAD.tolerance) * LOAD.targetPercent,
      downPercent: (1 - LOAD.tolerance) * LOAD.targetPercent,
    };
    const { cores: loadCores, requestCores } = LOAD;
    const cfg = { label: m.label, R, S, runs, loadCores, requestCores, thresholds, timeoutMs };
    const measured = await reactionRuns(ctx, cfg, log);
    const pipeline = await offset;
    const offsetS = (pipeline.medianLagMs ?? 0) / 1000;
    const theory = reactionTheory({
      resolutionS: R,
      syncS: S,
      offsetS,
      windowS: Number.parseInt(WINDOW, 10),
      load: {
        loadPercent: (100 * LOAD.cores) / LOAD.requestCores,
        targetPercent: LOAD.targetPercent,
        tolerance: LOAD.tolerance,
      },
      probePeriodS: 1,
    });
    return { metricsPipeline: pipeline, theory, ...measured, machineAtEnd: machineLoad() };
  });
  return { label: m.label, kubeprocFlags: m.flags, load: LOAD, ...result };
}
