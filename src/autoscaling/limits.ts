// The reasons and messages of normalization, worded exactly as horizontal.go words them, and
// the shared shape of a normalization result.
import type { ConditionUpdate, TimestampedRecommendation } from './types.js';

/** The condition message of each normalization reason. */
export const MESSAGES = {
  ScaleDownStabilized:
    'recent recommendations were higher than current one, applying the highest recent recommendation',
  ScaleUpStabilized:
    'recent recommendations were lower than current one, applying the lowest recent recommendation',
  ReadyForNewScale: 'recommended size matches current size',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  DesiredWithinRange: 'the desired count is within the acceptable range',
} as const;

/** A limiting reason (ScalingLimited) or a stabilization reason (AbleToScale). */
export type LimitReason = keyof typeof MESSAGES;

/** A value plus the reason it was (or was not) limited. */
export interface Limited {
  replicas: number;
  reason: LimitReason;
}

/** The outcome of normalizeDesiredReplicas(WithBehaviors). */
export interface Normalized {
  desiredReplicas: number;
  /** The value after stabilization, before the rate limits and min/max. */
  stabilized: number;
  recommendations: TimestampedRecommendation[];
  conditionUpdates: ConditionUpdate[];
  /** The ScalingLimited reason (DesiredWithinRange when not clamped). */
  limitReason: LimitReason;
}

/** AbleToScale after stabilization and ScalingLimited after clamping, as upstream sets them. */
export function normalizationConditions(
  proposal: number,
  stabilized: Limited,
  clamped: Limited,
): ConditionUpdate[] {
  const able: LimitReason =
    stabilized.replicas !== proposal ? stabilized.reason : 'ReadyForNewScale';
  return [
    { type: 'AbleToScale', status: 'True', reason: able, message: MESSAGES[able] },
    {
      type: 'ScalingLimited',
      status: clamped.replicas === stabilized.replicas ? 'False' : 'True',
      reason: clamped.reason,
      message: MESSAGES[clamped.reason],
    },
  ];
}
