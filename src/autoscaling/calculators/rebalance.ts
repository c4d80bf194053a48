// The shared tail of the utilization and plain calculators: the fast path when every pod
// reported, and the conservative re-run that fills in missing and unready pods.
import { ceilInt32 } from '../milli.js';
import type { PodGroups } from '../pod-grouping.js';
import type { PodSamples } from '../samples.js';
import type { Tolerances } from '../tolerance.js';
import { isWithin } from '../tolerance.js';

/** What the rebalance needs from its calculator. */
export interface RebalanceInput {
  samples: PodSamples;
  groups: PodGroups;
  usageRatio: number;
  currentReplicas: number;
  tolerances: Tolerances;
  /** The value a missing pod is assumed to use when scaling down. */
  missingValue: (podName: string) => bigint;
  /** The usage ratio of the (filled-in) samples. */
  ratioOf: (samples: PodSamples) => number;
}

function fill(samples: PodSamples, pods: Set<string>, value: (podName: string) => bigint): void {
  for (const podName of pods) {
    samples.set(podName, { value: value(podName), timestampMs: 0, windowMs: 0 });
  }
}

/** Fills in missing pods (by direction) and, on a scale-up, unready pods as using nothing. */
function fillIn(input: RebalanceInput, scaleUpWithUnready: boolean): void {
  const { samples, groups, usageRatio } = input;
  // A ratio of exactly 1 leaves missing pods out: any assumption would only add noise.
  if (usageRatio < 1) {
    fill(samples, groups.missing, input.missingValue);
  } else if (usageRatio > 1) {
    fill(samples, groups.missing, () => 0n);
  }
  if (scaleUpWithUnready) {
    fill(samples, groups.unready, () => 0n);
  }
}

/** Whether a and b sit on opposite sides of 1 (a change of scale direction). */
const opposite = (a: number, b: number): boolean => (a < 1 && b > 1) || (a > 1 && b < 1);

/** The replica count from a first usage ratio; `samples` is extended in place. */
export function rebalance(input: RebalanceInput): number {
  const { samples, groups, usageRatio, currentReplicas, tolerances } = input;
  const scaleUpWithUnready = groups.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    return isWithin(tolerances, usageRatio)
      ? currentReplicas
      : ceilInt32(usageRatio * groups.readyPodCount);
  }
  fillIn(input, scaleUpWithUnready);
  const newRatio = input.ratioOf(samples);
  if (isWithin(tolerances, newRatio) || opposite(usageRatio, newRatio)) {
    return currentReplicas;
  }
  const newReplicas = ceilInt32(newRatio * samples.size);
  // A count that moves against the ratio (more samples than pods) cancels the change.
  const against =
    (newRatio < 1 && newReplicas > currentReplicas) ||
    (newRatio > 1 && newReplicas < currentReplicas);
  return against ? currentReplicas : newReplicas;
}
