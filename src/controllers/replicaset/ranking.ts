// Which pods a ReplicaSet deletes first when it has too many: upstream ActivePodsWithRanks
// (controller_utils.go) with pod-deletion-cost and logarithmic scale-down (both on by default),
// and getPodsToDelete / getPodsRankedByRelatedPodsOnSameNode (replica_set.go).
import type { KubeObject } from '../../apis/meta.js';
import { isPodActive, isPodReady, podCondition, podStatus } from '../common/pod-util.js';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const NS_PER_MS = 1e6;

/** A pod with its rank: how many active related pods share its node. */
export interface RankedPod {
  pod: KubeObject;
  rank: number;
}

/** The pod-deletion-cost annotation as an int32; absent or invalid counts as 0, as upstream. */
export function podDeletionCost(pod: KubeObject): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST];
  // No leading '+' and no leading zeros ("008"), as upstream's validFirstDigit.
  if (value === undefined || !/^(-\d+|0|[1-9]\d*)$/.test(value)) {
    return 0;
  }
  const n = Number(value);
  return n >= INT32_MIN && n <= INT32_MAX ? n : 0;
}

function nodeName(pod: KubeObject): string {
  return ((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '') || '';
}

function phaseOrdinal(pod: KubeObject): number {
  return PHASE_ORDINAL[podStatus(pod).phase ?? ''] ?? 0;
}

/** Milliseconds since epoch, or undefined for Go's zero time (absent or unparsable). */
function timeMs(value: string | undefined): number | undefined {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function readyTimeMs(pod: KubeObject): number | undefined {
  return isPodReady(pod) ? timeMs(podCondition(pod, 'Ready')?.lastTransitionTime) : undefined;
}

function maxContainerRestarts(pod: KubeObject): number {
  const statuses = (pod.status as { containerStatuses?: { restartCount?: number }[] } | undefined)
    ?.containerStatuses;
  return Math.max(0, ...(statuses ?? []).map((c) => c.restartCount ?? 0));
}

/** afterOrZero: t1 after t2, where the zero time counts as after every real time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) {
    return t1 === undefined;
  }
  return t1 > t2;
}

/** log2 of the age in nanoseconds, truncated; -1 for no age (Go measures in ns). */
function logRank(tMs: number, nowMs: number): number {
  const ageNs = (nowMs - tMs) * NS_PER_MS;
  return ageNs > 0 ? Math.trunc(Math.log2(ageNs)) : -1;
}

/** Newer first, compared on a log scale so similar ages tie and are ordered by UID. */
function newerFirst(
  a: { t: number | undefined; uid: string },
  b: { t: number | undefined; uid: string },
  nowMs: number | undefined,
): boolean {
  if (nowMs === undefined || a.t === undefined || b.t === undefined) {
    return afterOrZero(a.t, b.t);
  }
  const diff = logRank(a.t, nowMs) - logRank(b.t, nowMs);
  return diff === 0 ? a.uid < b.uid : diff < 0;
}

/** Whether a should be deleted before b (upstream ActivePodsWithRanks.Less). */
export function lessForDeletion(a: RankedPod, b: RankedPod, now?: Date): boolean {
  const [pa, pb] = [a.pod, b.pod];
  const [na, nb] = [nodeName(pa), nodeName(pb)];
  if (na !== nb && (na === '' || nb === '')) {
    return na === '';
  }
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) {
    return phaseOrdinal(pa) < phaseOrdinal(pb);
  }
  if (isPodReady(pa) !== isPodReady(pb)) {
    return !isPodReady(pa);
  }
  if (podDeletionCost(pa) !== podDeletionCost(pb)) {
    return podDeletionCost(pa) < podDeletionCost(pb);
  }
  if (a.rank !== b.rank) {
    return a.rank > b.rank;
  }
  return lessByTimes(pa, pb, now?.getTime());
}

/** Rules 6-8: ready for less time, more restarts, created more recently. */
function lessByTimes(pa: KubeObject, pb: KubeObject, nowMs: number | undefined): boolean {
  const [uidA, uidB] = [pa.metadata.uid ?? '', pb.metadata.uid ?? ''];
  if (isPodReady(pa) && isPodReady(pb)) {
    const [ra, rb] = [readyTimeMs(pa), readyTimeMs(pb)];
    if (ra !== rb) {
      return newerFirst({ t: ra, uid: uidA }, { t: rb, uid: uidB }, nowMs);
    }
  }
  if (maxContainerRestarts(pa) !== maxContainerRestarts(pb)) {
    return maxContainerRestarts(pa) > maxContainerRestarts(pb);
  }
  const [ca, cb] = [timeMs(pa.metadata.creationTimestamp), timeMs(pb.metadata.creationTimestamp)];
  if (ca !== cb) {
    return newerFirst({ t: ca, uid: uidA }, { t: cb, uid: uidB }, nowMs);
  }
  return false;
}

/** Sorts pods so those to delete first come first; a new array, the input is left alone. */
export function sortForDeletion(pods: RankedPod[], now?: Date): RankedPod[] {
  return [...pods].sort((a, b) =>
    lessForDeletion(a, b, now) ? -1 : lessForDeletion(b, a, now) ? 1 : 0,
  );
}

/** Ranks each pod by the active related pods on its node (more colocated pods: deleted first). */
export function rankByRelatedPodsOnSameNode(
  pods: KubeObject[],
  relatedPods: KubeObject[],
): RankedPod[] {
  const podsOnNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (isPodActive(p)) {
      podsOnNode.set(nodeName(p), (podsOnNode.get(nodeName(p)) ?? 0) + 1);
    }
  }
  return pods.map((pod) => ({ pod, rank: podsOnNode.get(nodeName(pod)) ?? 0 }));
}

/** The `diff` pods to delete from filteredPods, preferring those earliest in their startup. */
export function getPodsToDelete(
  filteredPods: KubeObject[],
  relatedPods: KubeObject[],
  diff: number,
  now: Date,
): KubeObject[] {
  // No need to sort when every pod goes.
  if (diff >= filteredPods.length) {
    return filteredPods.slice(0, diff);
  }
  const ranked = sortForDeletion(rankByRelatedPodsOnSameNode(filteredPods, relatedPods), now);
  return ranked.slice(0, diff).map((r) => r.pod);
}
