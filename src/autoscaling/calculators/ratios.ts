// metrics/utilization.go: the utilization percentage and the plain mean, summed exactly (BigInt)
// so int64 totals never wrap; the percentage is clamped to int32 as upstream reports it.
import { INT32_MAX, INT32_MIN, clampInt64, toFloat } from '../milli.js';
import type { PodSamples } from '../samples.js';
import { MetricError } from '../samples.js';

/** The result of GetResourceUtilizationRatio. */
export interface UtilizationRatio {
  usageRatio: number;
  /** Integer percentage of the requests (truncated), clamped to int32. */
  utilization: number;
  /** The truncated mean usage of the counted samples, in milli-units. */
  rawAverage: bigint;
}

/** GetResourceUtilizationRatio: samples without a request (stray pods) are skipped. */
export function resourceUtilizationRatio(
  samples: PodSamples,
  requests: Map<string, bigint>,
  targetUtilization: number,
): UtilizationRatio {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entries = 0n;
  for (const [podName, sample] of samples) {
    const request = requests.get(podName);
    if (request === undefined) {
      continue;
    }
    metricsTotal += sample.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0n) {
    throw new MetricError('no metrics returned matched known pods');
  }
  const percentage = (metricsTotal * 100n) / requestsTotal;
  const max = BigInt(INT32_MAX);
  const min = BigInt(INT32_MIN);
  const utilization = Number(percentage > max ? max : percentage < min ? min : percentage);
  return {
    usageRatio: utilization / targetUtilization,
    utilization,
    rawAverage: metricsTotal / entries,
  };
}

/** GetMetricUsageRatio: the truncated mean of all samples against the target. */
export function metricUsageRatio(
  samples: PodSamples,
  targetUsage: bigint,
): { usageRatio: number; usage: bigint } {
  let total = 0n;
  for (const sample of samples.values()) {
    total += sample.value;
  }
  const usage = clampInt64(total / BigInt(samples.size));
  return { usageRatio: toFloat(usage) / toFloat(targetUsage), usage };
}
