// Object and External metrics: a Value target (ratio times the Running-and-Ready pods, no
// tolerance from zero) and an AverageValue target (per pod of scale.status.replicas).
import type { Pod } from '../../apis/core/v1/types.js';
import { INT32_MAX, INT64_MAX, addInt64Wrapping, ceilInt32, toFloat } from '../milli.js';
import { readyPodsCount } from '../pod-grouping.js';
import { MetricError } from '../samples.js';
import type { Tolerances } from '../tolerance.js';
import { isWithin } from '../tolerance.js';

/** getUsageRatioReplicaCount: from zero, ceil(ratio) with no tolerance (scale from/to zero). */
export function usageRatioReplicaCount(
  currentReplicas: number,
  usageRatio: number,
  tolerances: Tolerances,
  pods: readonly Pod[],
): number {
  if (currentReplicas === 0) {
    return ceilInt32(usageRatio);
  }
  if (isWithin(tolerances, usageRatio)) {
    return currentReplicas;
  }
  let ready: number;
  try {
    ready = readyPodsCount(pods);
  } catch (e) {
    throw new MetricError(`unable to calculate ready pods: ${(e as Error).message}`);
  }
  const replicas = usageRatio * ready;
  return replicas > INT32_MAX ? INT32_MAX : ceilInt32(replicas);
}

/** The replicas for an AverageValue target: statusReplicas unless outside the tolerance. */
export function perPodReplicas(
  statusReplicas: number,
  usage: bigint,
  targetPerPod: bigint,
  tolerances: Tolerances,
): number {
  const usageRatio = toFloat(usage) / (toFloat(targetPerPod) * statusReplicas);
  if (isWithin(tolerances, usageRatio)) {
    return statusReplicas;
  }
  const replicas = Math.ceil(toFloat(usage) / toFloat(targetPerPod));
  return replicas > INT32_MAX ? INT32_MAX : ceilInt32(replicas);
}

/** getPerPodUsage: ceil(usage / statusReplicas); int64 max when huge, 0 with no replicas. */
export function perPodUsage(usage: bigint, statusReplicas: number): bigint {
  if (toFloat(usage) >= toFloat(INT64_MAX)) {
    return INT64_MAX;
  }
  if (statusReplicas === 0) {
    return 0n;
  }
  return BigInt(Math.ceil(toFloat(usage) / statusReplicas));
}

/** GetExternalMetricReplicas' sum: capped at int64 max when the next value would overflow. */
export function sumSaturating(values: readonly bigint[]): bigint {
  let usage = 0n;
  for (const v of values) {
    if (v > 0n && usage > INT64_MAX - v) {
      return INT64_MAX;
    }
    usage += v;
  }
  return usage;
}

/** GetExternalPerPodMetricReplicas' sum: int64 addition, int64 max once it wraps negative. */
export function sumWrapping(values: readonly bigint[]): bigint {
  let usage = 0n;
  for (const v of values) {
    usage = addInt64Wrapping(usage, v);
    if (usage < 0n) {
      return INT64_MAX;
    }
  }
  return usage;
}
