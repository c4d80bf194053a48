// PodDisruptionBudget status as pure functions: healthy pods, the disruptedPods map, the
// DisruptionAllowed condition (upstream disruption.go and component-helpers poddisruptionbudget).
import type { KubeObject } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import { isPodReady } from '../common/pod-util.js';
import {
  DELETION_TIMEOUT_MS,
  DISRUPTION_ALLOWED_CONDITION,
  INSUFFICIENT_PODS_REASON,
  SUFFICIENT_PODS_REASON,
  SYNC_FAILED_REASON,
} from './types.js';
import type { Condition, PodDisruptionBudget, PodDisruptionBudgetStatus } from './types.js';

export interface DisruptedPodMap {
  /** Entries still awaiting their pod's deletion. */
  disruptedPods: Record<string, string>;
  /** When the earliest remaining entry expires: sync again then. */
  recheckAt?: Date;
  /** Pods the eviction subresource let go that were never marked for deletion in time. */
  notDeleted: KubeObject[];
}

/** Keeps the disruptedPods entries of pods that exist, are not deleting and have not expired. */
export function buildDisruptedPodMap(
  pods: KubeObject[],
  pdb: PodDisruptionBudget,
  now: Date,
): DisruptedPodMap {
  const previous = pdb.status?.disruptedPods;
  const out: DisruptedPodMap = { disruptedPods: {}, notDeleted: [] };
  if (!previous) {
    return out;
  }
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const since = Object.prototype.hasOwnProperty.call(previous, name) ? previous[name] : undefined;
    if (pod.metadata.deletionTimestamp || since === undefined) {
      continue;
    }
    const expected = new Date(Date.parse(since) + DELETION_TIMEOUT_MS);
    if (expected.getTime() < now.getTime()) {
      out.notDeleted.push(pod);
      continue;
    }
    if (!out.recheckAt || expected < out.recheckAt) {
      out.recheckAt = expected;
    }
    out.disruptedPods[name] = since;
  }
  return out;
}

/** Ready pods that are neither deleting nor about to be deleted by an eviction. */
export function countHealthyPods(
  pods: KubeObject[],
  disruptedPods: Record<string, string>,
  now: Date,
): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) {
      continue;
    }
    const since = disruptedPods[pod.metadata.name ?? ''];
    if (since !== undefined && Date.parse(since) + DELETION_TIMEOUT_MS > now.getTime()) {
      continue;
    }
    if (isPodReady(pod)) {
      healthy++;
    }
  }
  return healthy;
}

/** meta.SetStatusCondition: replaces the condition of the same type; the time moves on a flip. */
export function setStatusCondition(
  conditions: Condition[],
  wanted: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const existing = conditions.find((c) => c.type === wanted.type);
  if (!existing) {
    return [...conditions, { ...wanted, lastTransitionTime: formatTime(now) }];
  }
  const lastTransitionTime =
    existing.status === wanted.status ? existing.lastTransitionTime : formatTime(now);
  return conditions.map((c) => (c === existing ? { ...wanted, lastTransitionTime } : c));
}

/** pdbhelper.UpdateDisruptionAllowedCondition: True/SufficientPods while disruptions are allowed. */
export function withDisruptionAllowedCondition(
  status: PodDisruptionBudgetStatus,
  now: Date,
): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const condition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: allowed ? ('True' as const) : ('False' as const),
    reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
    message: '',
    ...optionalGeneration(status.observedGeneration),
  };
  return { ...status, conditions: setStatusCondition(status.conditions ?? [], condition, now) };
}

/** pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const status = pdb.status ?? {};
  const cond = status.conditions?.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (!cond || (status.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) {
    return false;
  }
  return (status.disruptionsAllowed ?? 0) > 0
    ? cond.status === 'True' && cond.reason === SUFFICIENT_PODS_REASON
    : cond.status === 'False' && cond.reason === INSUFFICIENT_PODS_REASON;
}

export interface HealthCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/**
 * The status updatePdbStatus writes, or undefined when the stored one is current. No pods
 * expected means no disruptions: a budget whose first pods appear before a sync stays safe.
 */
export function nextStatus(
  pdb: PodDisruptionBudget,
  counts: HealthCounts,
  now: Date,
): PodDisruptionBudgetStatus | undefined {
  const { currentHealthy, desiredHealthy, expectedPods, disruptedPods } = counts;
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) {
    disruptionsAllowed = 0;
  }
  const generation = pdb.metadata.generation ?? 0;
  if (isCurrent(pdb, { ...counts, disruptionsAllowed })) {
    return undefined;
  }
  const old = pdb.status ?? {};
  const status: PodDisruptionBudgetStatus = {
    ...optionalGeneration(generation),
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    ...(old.conditions ? { conditions: old.conditions } : {}),
  };
  return withDisruptionAllowedCondition(status, now);
}

/** The stored status already says all this (and its condition agrees): nothing to write. */
function isCurrent(
  pdb: PodDisruptionBudget,
  want: HealthCounts & { disruptionsAllowed: number },
): boolean {
  const old = pdb.status ?? {};
  return (
    old.currentHealthy === want.currentHealthy &&
    old.desiredHealthy === want.desiredHealthy &&
    old.expectedPods === want.expectedPods &&
    old.disruptionsAllowed === want.disruptionsAllowed &&
    sameMap(old.disruptedPods, want.disruptedPods) &&
    (old.observedGeneration ?? 0) === (pdb.metadata.generation ?? 0) &&
    conditionsAreUpToDate(pdb)
  );
}

/** failSafe: no disruptions and a SyncFailed condition carrying the error. */
export function failSafeStatus(
  pdb: PodDisruptionBudget,
  message: string,
  now: Date,
): PodDisruptionBudgetStatus {
  const old = pdb.status ?? {};
  const status: PodDisruptionBudgetStatus = {
    ...(old as PodDisruptionBudgetStatus),
    disruptionsAllowed: 0,
    currentHealthy: old.currentHealthy ?? 0,
    desiredHealthy: old.desiredHealthy ?? 0,
    expectedPods: old.expectedPods ?? 0,
  };
  const condition = {
    type: DISRUPTION_ALLOWED_CONDITION,
    status: 'False' as const,
    reason: SYNC_FAILED_REASON,
    message,
    ...optionalGeneration(old.observedGeneration),
  };
  return { ...status, conditions: setStatusCondition(old.conditions ?? [], condition, now) };
}

/** observedGeneration is omitempty in Go: zero is not written. */
function optionalGeneration(generation: number | undefined): { observedGeneration?: number } {
  return generation ? { observedGeneration: generation } : {};
}

/** Semantic.DeepEqual of two maps: nil and empty are equal. */
function sameMap(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a?.[k] === b[k]);
}
