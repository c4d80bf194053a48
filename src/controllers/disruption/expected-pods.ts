// How many pods a PodDisruptionBudget expects and how many must stay healthy: minAvailable as a
// number counts the selected pods; percentages and maxUnavailable sum the owning controllers'
// scale (upstream disruption.go getExpectedPodCount / getExpectedScale).
import type { KubeObject } from '../../apis/meta.js';
import { controllerOf } from '../common/owner-refs.js';
import type { ControllerFinder } from './finders.js';
import type { IntOrString, PodDisruptionBudget } from './types.js';

export interface ExpectedPods {
  expectedCount: number;
  desiredHealthy: number;
  /** Names of selected pods without a controller (only looked for when the scale matters). */
  unmanagedPods: string[];
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    return value;
  }
  if (!value.endsWith('%')) {
    throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  }
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** getExpectedPodCount: expected pods and the healthy pods the budget wants. */
export async function expectedPodCount(
  pdb: PodDisruptionBudget,
  pods: KubeObject[],
  find: ControllerFinder,
): Promise<ExpectedPods> {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable != null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, find);
    const unavailable = scaledValue(maxUnavailable, expectedCount, true);
    return {
      expectedCount,
      desiredHealthy: Math.max(0, expectedCount - unavailable),
      unmanagedPods,
    };
  }
  if (typeof minAvailable === 'number') {
    return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  }
  if (typeof minAvailable === 'string') {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, find);
    const desiredHealthy = scaledValue(minAvailable, expectedCount, true);
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * getExpectedScale: the sum of the scales of the controllers of the pods, each controller once.
 * A pod with no controller is reported, not counted; a controller nobody can find is an error.
 */
export async function expectedScale(
  pods: KubeObject[],
  find: ControllerFinder,
): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scaleByUid = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scaleByUid.has(ref.uid)) {
      continue;
    }
    const found = await find(ref, pod.metadata.namespace ?? '');
    if (!found) {
      throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
    }
    scaleByUid.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const scale of scaleByUid.values()) {
    expectedCount += scale;
  }
  return { expectedCount, unmanagedPods };
}
