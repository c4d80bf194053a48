// normalizeDesiredReplicasWithBehaviors (§8): stabilization in both directions over the
// recommendation history, then the scale-up/scale-down rate policies over recent scale events.
import type { DefaultedBehavior, DefaultedRules } from './behavior.js';
import { replicasChangePerPeriod, storeRecommendation } from './history.js';
import type { Limited, Normalized } from './limits.js';
import { normalizationConditions } from './limits.js';
import { INT32_MAX, INT32_MIN, ceilInt32, toInt32 } from './milli.js';
import type { HPAState, TimestampedRecommendation } from './types.js';

/** Upstream's NormalizationArg plus the history it reads. */
export interface BehaviorInput {
  behavior: DefaultedBehavior;
  state: Pick<HPAState, 'scaleUpEvents' | 'scaleDownEvents'>;
  recommendations: readonly TimestampedRecommendation[];
  currentReplicas: number;
  proposal: number;
  minReplicas: number;
  maxReplicas: number;
  nowMs: number;
}

/** stabilizeRecommendationWithBehaviors. */
export function stabilizeWithBehaviors(input: BehaviorInput): {
  stabilized: Limited;
  recommendations: TimestampedRecommendation[];
} {
  const { behavior, proposal, nowMs } = input;
  const upCutoff = nowMs - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upRecommendation = proposal;
  let downRecommendation = proposal;
  let staleIndex = -1;
  input.recommendations.forEach((rec, i) => {
    if (rec.timestampMs > upCutoff) {
      upRecommendation = Math.min(rec.recommendation, upRecommendation);
    }
    if (rec.timestampMs > downCutoff) {
      downRecommendation = Math.max(rec.recommendation, downRecommendation);
    }
    if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) {
      staleIndex = i;
    }
  });
  let recommendation = Math.max(input.currentReplicas, upRecommendation);
  recommendation = Math.min(recommendation, downRecommendation);
  const entry = { recommendation: proposal, timestampMs: nowMs };
  const reason = proposal >= input.currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
  return {
    stabilized: { replicas: recommendation, reason },
    recommendations: storeRecommendation(input.recommendations, staleIndex, entry),
  };
}

function periodStart(input: BehaviorInput, periodSeconds: number): number {
  const added = replicasChangePerPeriod(periodSeconds, input.state.scaleUpEvents, input.nowMs);
  const deleted = replicasChangePerPeriod(periodSeconds, input.state.scaleDownEvents, input.nowMs);
  return input.currentReplicas - added + deleted;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
export function scaleUpLimit(input: BehaviorInput, rules: DefaultedRules): number {
  if (rules.selectPolicy === 'Disabled') {
    return input.currentReplicas;
  }
  const isMin = rules.selectPolicy === 'Min';
  let result = isMin ? INT32_MAX : INT32_MIN;
  for (const policy of rules.policies) {
    const start = periodStart(input, policy.periodSeconds);
    const proposed =
      policy.type === 'Pods' ? start + policy.value : ceilInt32(start * (1 + policy.value / 100));
    result = isMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
export function scaleDownLimit(input: BehaviorInput, rules: DefaultedRules): number {
  if (rules.selectPolicy === 'Disabled') {
    return input.currentReplicas;
  }
  const isMin = rules.selectPolicy === 'Min';
  let result = isMin ? INT32_MIN : INT32_MAX;
  for (const policy of rules.policies) {
    const start = periodStart(input, policy.periodSeconds);
    const proposed =
      policy.type === 'Pods' ? start - policy.value : toInt32(start * (1 - policy.value / 100));
    result = isMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithBehaviorRate: the rate limits and min/max for a stabilized value. */
export function convertWithBehaviorRate(input: BehaviorInput, desired: number): Limited {
  const current = input.currentReplicas;
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(input, input.behavior.scaleUp), current);
    const ceiling: Limited =
      input.maxReplicas > limit
        ? { replicas: limit, reason: 'ScaleUpLimit' }
        : { replicas: input.maxReplicas, reason: 'TooManyReplicas' };
    if (desired > ceiling.replicas) {
      return ceiling;
    }
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(input, input.behavior.scaleDown), current);
    const floor: Limited =
      input.minReplicas < limit
        ? { replicas: limit, reason: 'ScaleDownLimit' }
        : { replicas: input.minReplicas, reason: 'TooFewReplicas' };
    if (desired < floor.replicas) {
      return floor;
    }
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** normalizeDesiredReplicasWithBehaviors. */
export function normalizeWithBehavior(input: BehaviorInput): Normalized {
  const { stabilized, recommendations } = stabilizeWithBehaviors(input);
  const clamped = convertWithBehaviorRate(input, stabilized.replicas);
  return {
    desiredReplicas: clamped.replicas,
    stabilized: stabilized.replicas,
    recommendations,
    conditionUpdates: normalizationConditions(input.proposal, stabilized, clamped),
    limitReason: clamped.reason,
  };
}
