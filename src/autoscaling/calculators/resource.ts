// GetResourceReplicas: replicas from a target utilization (percentage of the pods' requests),
// with hot-CPU and unready pods left out and missing pods filled in conservatively.
import type { Pod } from '../../apis/core/v1/types.js';
import type { PodGroups, ReadinessTiming } from '../pod-grouping.js';
import { calculateRequests, groupPods } from '../pod-grouping.js';
import type { PodSamples } from '../samples.js';
import { MetricError } from '../samples.js';
import type { Tolerances } from '../tolerance.js';
import { rebalance } from './rebalance.js';
import { resourceUtilizationRatio } from './ratios.js';

/** Inputs of the utilization calculator. */
export interface ResourceCalcInput {
  currentReplicas: number;
  targetUtilization: number;
  resource: string;
  /** '' for the whole pod. */
  container: string;
  tolerances: Tolerances;
  /** Per-pod samples already collected (resourceSamples), or the collection error. */
  samples: PodSamples | MetricError;
  pods: readonly Pod[];
  timing: ReadinessTiming;
}

/** The proposal plus what the status reports (from the first, unfilled computation). */
export interface ResourceCalcResult {
  replicas: number;
  utilization: number;
  rawAverage: bigint;
  groups: PodGroups;
}

/** Removes the samples of ignored and unready pods; errors when nothing is left. */
export function usableSamples(samples: PodSamples, groups: PodGroups): PodSamples {
  const usable = new Map(samples);
  for (const name of [...groups.ignored, ...groups.unready]) {
    usable.delete(name);
  }
  if (usable.size === 0) {
    throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  }
  return usable;
}

/** Throws MetricError with upstream's text; the caller wraps it as the controller does. */
export function resourceReplicas(input: ResourceCalcInput): ResourceCalcResult {
  if (input.samples instanceof MetricError) {
    throw new MetricError(
      `unable to get metrics for resource ${input.resource}: ${input.samples.message}`,
    );
  }
  if (input.pods.length === 0) {
    throw new MetricError('no pods returned by selector while calculating replica count');
  }
  const groups = groupPods(input.pods, input.samples, input.resource, input.timing);
  const samples = usableSamples(input.samples, groups);
  const requests = calculateRequests(input.pods, input.container, input.resource);
  const target = input.targetUtilization;
  const first = resourceUtilizationRatio(samples, requests, target);
  const fallbackUtilization = BigInt(Math.max(100, target));
  const replicas = rebalance({
    samples,
    groups,
    usageRatio: first.usageRatio,
    currentReplicas: input.currentReplicas,
    tolerances: input.tolerances,
    missingValue: (pod) => ((requests.get(pod) ?? 0n) * fallbackUtilization) / 100n,
    ratioOf: (filled) => resourceUtilizationRatio(filled, requests, target).usageRatio,
  });
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage, groups };
}
