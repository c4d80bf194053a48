// Strategy of the autoscaling group: HorizontalPodAutoscaler defaulting and validation on the
// autoscaling/v2 storage object (registry/autoscaling/horizontalpodautoscaler in Kubernetes 1.32).
import type { KindStrategy } from '../resource-type.js';
import { defaultHorizontalPodAutoscaler } from './defaults.js';
import { validateHorizontalPodAutoscalerSpec } from './validation.js';

export interface HPAStrategyOptions {
  /** The HPAScaleToZero feature gate (alpha, off in 1.32): allows minReplicas 0. */
  scaleToZero?: boolean;
}

/**
 * The HorizontalPodAutoscaler strategy. Upstream also lets an update keep minReplicas 0 when the
 * stored object already had it; KindStrategy.validate cannot see the old object, so that case
 * (only reachable by turning the gate off) is not reproduced.
 */
export function hpaStrategy(opts: HPAStrategyOptions = {}): KindStrategy {
  const lowerBound = opts.scaleToZero ? 0 : 1;
  return {
    default: defaultHorizontalPodAutoscaler,
    validate: (obj) => validateHorizontalPodAutoscalerSpec(obj.spec, lowerBound),
  };
}

/** Strategies of the autoscaling group, keyed by kind. */
export const autoscalingStrategies: Record<string, KindStrategy> = {
  HorizontalPodAutoscaler: hpaStrategy(),
};
