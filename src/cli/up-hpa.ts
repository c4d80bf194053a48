// `kubeproc up`'s HPA flags, named and defaulted as kube-controller-manager's, so a demo can run
// with second-long periods and users' habits carry over.
import type { HPAControllerOptions } from '../controllers/horizontal-pod-autoscaler/options.js';
import { UsageError } from './output.js';
import { parseDuration } from './duration.js';

export const HPA_UP_OPTIONS = {
  'horizontal-pod-autoscaler-sync-period': { type: 'string' },
  'horizontal-pod-autoscaler-tolerance': { type: 'string' },
  'horizontal-pod-autoscaler-downscale-stabilization': { type: 'string' },
  'horizontal-pod-autoscaler-cpu-initialization-period': { type: 'string' },
  'horizontal-pod-autoscaler-initial-readiness-delay': { type: 'string' },
} as const;

export const HPA_UP_USAGE = `
HorizontalPodAutoscaler (kube-controller-manager's flags and defaults):
  --horizontal-pod-autoscaler-sync-period D                 how often each HPA is evaluated (15s)
  --horizontal-pod-autoscaler-tolerance F                   no scaling within this ratio of the target (0.1)
  --horizontal-pod-autoscaler-downscale-stabilization D     look-back window before scaling down (5m)
  --horizontal-pod-autoscaler-cpu-initialization-period D   CPU samples of pods younger than this need a ready pod (5m)
  --horizontal-pod-autoscaler-initial-readiness-delay D     pods unready this soon after start do not count (30s)
`;

type Values = Partial<Record<keyof typeof HPA_UP_OPTIONS, string>>;

/** The HPA controller settings the flags give; defaults are left to the controller. */
export function hpaOptionsOf(values: Values): Partial<HPAControllerOptions> {
  const out: Partial<HPAControllerOptions> = {};
  const duration = (flag: keyof Values): number | undefined => {
    const text = values[flag];
    return text === undefined ? undefined : parseDuration(flag, text, true);
  };
  const sync = duration('horizontal-pod-autoscaler-sync-period');
  if (sync === 0) {
    throw new UsageError('invalid --horizontal-pod-autoscaler-sync-period "0s": must be positive');
  }
  if (sync !== undefined) {
    out.syncPeriodMs = sync;
  }
  const down = duration('horizontal-pod-autoscaler-downscale-stabilization');
  if (down !== undefined) {
    out.downscaleStabilizationWindowMs = down;
  }
  const cpuInit = duration('horizontal-pod-autoscaler-cpu-initialization-period');
  if (cpuInit !== undefined) {
    out.cpuInitializationPeriodMs = cpuInit;
  }
  const readiness = duration('horizontal-pod-autoscaler-initial-readiness-delay');
  if (readiness !== undefined) {
    out.initialReadinessDelayMs = readiness;
  }
  const tolerance = values['horizontal-pod-autoscaler-tolerance'];
  if (tolerance !== undefined) {
    const t = Number(tolerance);
    if (tolerance.trim() === '' || !Number.isFinite(t) || t < 0) {
      throw new UsageError(
        `invalid --horizontal-pod-autoscaler-tolerance "${tolerance}": expected a number such as 0.1`,
      );
    }
    out.tolerance = t;
  }
  return out;
}
