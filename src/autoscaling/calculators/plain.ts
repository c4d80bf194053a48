// calcPlainMetricReplicas: replicas from a target average value (Pods metrics, and Resource
// metrics with an averageValue target), counting every sample including stray ones.
import type { Pod } from '../../apis/core/v1/types.js';
import type { PodGroups, ReadinessTiming } from '../pod-grouping.js';
import { groupPods } from '../pod-grouping.js';
import type { PodSamples } from '../samples.js';
import { MetricError } from '../samples.js';
import type { Tolerances } from '../tolerance.js';
import { metricUsageRatio } from './ratios.js';
import { rebalance } from './rebalance.js';
import { usableSamples } from './resource.js';

/** Inputs of the plain calculator. */
export interface PlainCalcInput {
  currentReplicas: number;
  targetUsage: bigint;
  /** 'cpu' turns on the readiness-by-time rules; '' for Pods metrics. */
  resource: string;
  tolerances: Tolerances;
  samples: PodSamples;
  pods: readonly Pod[];
  timing: ReadinessTiming;
}

/** The proposal and the first mean usage (milli-units). */
export interface PlainCalcResult {
  replicas: number;
  usage: bigint;
  groups: PodGroups;
}

/** Throws MetricError with upstream's text. */
export function plainReplicas(input: PlainCalcInput): PlainCalcResult {
  if (input.pods.length === 0) {
    throw new MetricError('no pods returned by selector while calculating replica count');
  }
  const groups = groupPods(input.pods, input.samples, input.resource, input.timing);
  const samples = usableSamples(input.samples, groups);
  const first = metricUsageRatio(samples, input.targetUsage);
  const replicas = rebalance({
    samples,
    groups,
    usageRatio: first.usageRatio,
    currentReplicas: input.currentReplicas,
    tolerances: input.tolerances,
    missingValue: () => input.targetUsage,
    ratioOf: (filled) => metricUsageRatio(filled, input.targetUsage).usageRatio,
  });
  return { replicas, usage: first.usage, groups };
}
