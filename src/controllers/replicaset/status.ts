// ReplicaSet status from its active pods: counts, the ReplicaFailure condition, observedGeneration,
// and when a ready pod next becomes available (upstream replica_set_utils.go calculateStatus,
// updateReplicaSetStatus and the condition helpers).
import { formatTime } from '../../apis/meta.js';
import type { KubeObject } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import { labelSelectorFromSet } from '../../lib/labels.js';
import { isPodAvailable, isPodReady, podCondition } from '../common/pod-util.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** The status as stored on rs (zeroes for absent counts, as Go's int32 fields read). */
export function currentStatus(rs: KubeObject): ReplicaSetStatus {
  const s = (rs.status ?? {}) as Partial<ReplicaSetStatus>;
  return { ...s, replicas: s.replicas ?? 0 };
}

/** The desired replica count (defaulted to 1 by the API). */
export function desiredReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

/**
 * The status rs should have given its active, owned pods. A manageReplicas error sets the
 * ReplicaFailure condition (FailedCreate/FailedDelete) once; success removes it.
 */
export function calculateStatus(
  rs: ReplicaSet,
  activePods: KubeObject[],
  manageReplicasErr: unknown,
  now: Date,
): ReplicaSetStatus {
  const status = currentStatus(rs);
  const templateLabels = labelSelectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (templateLabels.matches(pod.metadata.labels)) {
      fullyLabeled++;
    }
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) {
        available++;
      }
    }
  }
  const next: ReplicaSetStatus = {
    ...status,
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  const conditions = nextConditions(rs, activePods, manageReplicasErr, now);
  if (conditions.length > 0) {
    next.conditions = conditions;
  } else {
    delete next.conditions;
  }
  return next;
}

/** Sets ReplicaFailure on a manageReplicas error (keeping an existing one), clears it on success. */
function nextConditions(
  rs: ReplicaSet,
  activePods: KubeObject[],
  manageReplicasErr: unknown,
  now: Date,
): ReplicaSetCondition[] {
  const conditions = currentStatus(rs).conditions ?? [];
  const hasFailure = conditions.some((c) => c.type === REPLICA_FAILURE);
  if (manageReplicasErr === undefined) {
    return conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  if (hasFailure) {
    return conditions;
  }
  const diff = activePods.length - desiredReplicas(rs);
  const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
  return [
    ...conditions,
    {
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: formatTime(now),
      reason,
      message: errorMessage(manageReplicasErr),
    },
  ];
}

/** Whether rs already has this status (and has observed its generation): no write needed. */
export function isStatusUpToDate(rs: KubeObject, next: ReplicaSetStatus): boolean {
  const cur = currentStatus(rs);
  const counts = [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
  ] as const;
  return (
    counts.every((f) => (cur[f] ?? 0) === (next[f] ?? 0)) &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}

/** The status to write: next, stamped with the generation it was computed from. */
export function withObservedGeneration(rs: KubeObject, next: ReplicaSetStatus): ReplicaSetStatus {
  return { ...next, observedGeneration: rs.metadata.generation ?? 0 };
}

/**
 * Milliseconds until the first ready-but-not-yet-available pod passes minReadySeconds, or
 * undefined when no pod is waiting: the sync runs again then to count it as available.
 */
export function nextAvailableCheckMs(
  activePods: KubeObject[],
  minReadySeconds: number,
  now: Date,
): number | undefined {
  if (minReadySeconds <= 0) {
    return undefined;
  }
  let soonest: number | undefined;
  for (const pod of activePods) {
    const since = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
    if (!isPodReady(pod) || Number.isNaN(since) || isPodAvailable(pod, minReadySeconds, now)) {
      continue;
    }
    const remaining = since + minReadySeconds * 1000 - now.getTime();
    soonest = soonest === undefined ? remaining : Math.min(soonest, remaining);
  }
  return soonest === undefined ? undefined : Math.max(soonest, 1);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
