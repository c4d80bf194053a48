// behavior defaulting (§8.1): the API defaults, plus the scale-down stabilization window the
// controller fills from --horizontal-pod-autoscaler-downscale-stabilization at reconcile time.
import { defaultScaleDownRules, defaultScaleUpRules } from '../apis/autoscaling/defaults.js';
import type {
  HPAScalingPolicy,
  HPAScalingRules,
  HorizontalPodAutoscalerBehavior,
  Quantity,
} from '../apis/autoscaling/types.js';

/** HPAScalingRules with every field filled in. */
export interface DefaultedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies: HPAScalingPolicy[];
  /** behavior.scale{Up,Down}.tolerance when given (HPAConfigurableTolerance). */
  tolerance?: Quantity;
}

/** A behavior with both directions defaulted. */
export interface DefaultedBehavior {
  scaleUp: DefaultedRules;
  scaleDown: DefaultedRules;
}

function fill(
  rules: HPAScalingRules | undefined,
  defaults: HPAScalingRules,
  windowSeconds: number,
): DefaultedRules {
  const out: DefaultedRules = {
    stabilizationWindowSeconds:
      rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds ?? windowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy ?? 'Max',
    policies: rules?.policies ?? defaults.policies ?? [],
  };
  const tolerance = (rules as { tolerance?: Quantity } | undefined)?.tolerance;
  if (tolerance != null) {
    out.tolerance = tolerance;
  }
  return out;
}

/** The behavior the controller applies: API defaults, scale-down window from the flag. */
export function defaultedBehavior(
  behavior: HorizontalPodAutoscalerBehavior | undefined,
  downscaleStabilizationWindowMs: number,
): DefaultedBehavior {
  const windowSeconds = Math.trunc(downscaleStabilizationWindowMs / 1000);
  return {
    scaleUp: fill(behavior?.scaleUp, defaultScaleUpRules(), windowSeconds),
    scaleDown: fill(behavior?.scaleDown, defaultScaleDownRules(), windowSeconds),
  };
}

/** getLongestPolicyPeriod. */
export function longestPolicyPeriod(rules: DefaultedRules): number {
  return rules.policies.reduce((longest, p) => Math.max(longest, p.periodSeconds), 0);
}
