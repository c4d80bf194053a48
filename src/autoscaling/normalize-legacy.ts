// normalizeDesiredReplicas (§7), for HPAs without `behavior`: downscale stabilization over the
// flag's window, then min/max with the legacy scale-up limit max(2 x current, 4).
import type { Limited, Normalized } from './limits.js';
import { normalizationConditions } from './limits.js';
import { storeRecommendation } from './history.js';
import { toInt32 } from './milli.js';
import type { TimestampedRecommendation } from './types.js';

/** Inputs of the legacy normalization. */
export interface LegacyInput {
  recommendations: readonly TimestampedRecommendation[];
  currentReplicas: number;
  proposal: number;
  minReplicas: number;
  maxReplicas: number;
  nowMs: number;
  downscaleStabilizationWindowMs: number;
  /** scaleUpLimitFactor (2; upstream's controller tests raise it to 8). */
  scaleUpLimitFactor?: number;
  /** scaleUpLimitMinimum (4). */
  scaleUpLimitMinimum?: number;
}

/** stabilizeRecommendation: the highest recommendation of the window, proposal included. */
export function stabilizeRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  proposal: number,
  nowMs: number,
  windowMs: number,
): { stabilized: number; recommendations: TimestampedRecommendation[] } {
  const cutoff = nowMs - windowMs;
  let stabilized = proposal;
  let staleIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestampMs < cutoff) {
      staleIndex = i;
    } else if (rec.recommendation > stabilized) {
      stabilized = rec.recommendation;
    }
  });
  const entry = { recommendation: proposal, timestampMs: nowMs };
  return { stabilized, recommendations: storeRecommendation(recommendations, staleIndex, entry) };
}

/** convertDesiredReplicasWithRules: clamp to [min, min(max, scale-up limit)]. */
export function convertDesiredReplicasWithRules(
  input: Pick<
    LegacyInput,
    'currentReplicas' | 'minReplicas' | 'maxReplicas' | 'scaleUpLimitFactor' | 'scaleUpLimitMinimum'
  >,
  desired: number,
): Limited {
  const factor = input.scaleUpLimitFactor ?? 2;
  const minimum = input.scaleUpLimitMinimum ?? 4;
  const scaleUpLimit = toInt32(Math.max(factor * input.currentReplicas, minimum));
  const ceiling: Limited =
    input.maxReplicas > scaleUpLimit
      ? { replicas: scaleUpLimit, reason: 'ScaleUpLimit' }
      : { replicas: input.maxReplicas, reason: 'TooManyReplicas' };
  if (desired < input.minReplicas) {
    return { replicas: input.minReplicas, reason: 'TooFewReplicas' };
  }
  if (desired > ceiling.replicas) {
    return ceiling;
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** normalizeDesiredReplicas. */
export function normalizeLegacy(input: LegacyInput): Normalized {
  const { stabilized, recommendations } = stabilizeRecommendation(
    input.recommendations,
    input.proposal,
    input.nowMs,
    input.downscaleStabilizationWindowMs,
  );
  const clamped = convertDesiredReplicasWithRules(input, stabilized);
  const conditionUpdates = normalizationConditions(
    input.proposal,
    { replicas: stabilized, reason: 'ScaleDownStabilized' },
    clamped,
  );
  return {
    desiredReplicas: clamped.replicas,
    stabilized,
    recommendations,
    conditionUpdates,
    limitReason: clamped.reason,
  };
}
