// Deployment status and conditions as pure functions of the replica sets and the time (port of
// upstream deployment/progress.go, sync.go calculateStatus, and util's progress checks).
import {
  AVAILABLE,
  PROGRESSING,
  REPLICA_FAILURE,
  getCondition,
  newCondition,
  removeCondition,
  setCondition,
} from './conditions.js';
import {
  MAX_INT32,
  Reason,
  nameOf,
  specReplicas,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
  type ReplicaSet,
} from './types.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
} from './util.js';

/** progressDeadlineSeconds is set and not MaxInt32. */
export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== MAX_INT32;

/** DeploymentComplete: all desired replicas updated and available, no old ones, spec observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than before. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const grew = (field: 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'): boolean =>
    (next[field] ?? 0) > (old[field] ?? 0);
  const oldPods = (s: DeploymentStatus): number => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    grew('updatedReplicas') ||
    oldPods(next) < oldPods(old) ||
    grew('readyReplicas') ||
    grew('availableReplicas')
  );
}

/** DeploymentTimedOut: the last sign of progress is older than progressDeadlineSeconds. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) {
    return false;
  }
  const condition = getCondition(status, PROGRESSING);
  if (!condition || condition.reason === Reason.NewReplicaSetAvailable) {
    return false;
  }
  if (condition.reason === Reason.TimedOut) {
    return true;
  }
  const from = Date.parse(condition.lastUpdateTime ?? '');
  const deadlineMs = (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
  return !Number.isNaN(from) && from + deadlineMs < now.getTime();
}

/** calculateStatus: counts from the replica sets, plus the Available condition. */
export function calculateStatus(
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: Date,
): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(replicaCount(allRSs) - available, 0);
  const counts: Record<string, number | undefined> = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  // Zero counts are omitted, as Go's omitempty does, so stored status compares equal.
  const status: DeploymentStatus = Object.fromEntries(
    Object.entries(counts).filter(([, v]) => v !== undefined && v !== 0),
  );
  if (d.status?.collisionCount !== undefined) {
    status.collisionCount = d.status.collisionCount;
  }
  if (d.status?.conditions?.length) {
    status.conditions = structuredClone(d.status.conditions);
  }
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    const msg = 'Deployment has minimum availability.';
    setCondition(
      status,
      newCondition(
        { type: AVAILABLE, status: 'True', reason: Reason.MinimumReplicasAvailable, message: msg },
        now,
      ),
    );
  } else {
    const msg = 'Deployment does not have minimum availability.';
    setCondition(
      status,
      newCondition(
        {
          type: AVAILABLE,
          status: 'False',
          reason: Reason.MinimumReplicasUnavailable,
          message: msg,
        },
        now,
      ),
    );
  }
  return status;
}

function progressMessage(d: Deployment, newRS: ReplicaSet | undefined, what: string): string {
  return newRS ? `ReplicaSet "${nameOf(newRS)}" ${what}` : `Deployment "${nameOf(d)}" ${what}`;
}

/** The Progressing condition for a rollout: complete, progressing, timed out, or unchanged. */
function updateProgressing(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  status: DeploymentStatus,
  now: Date,
): void {
  const current = getCondition(d.status, PROGRESSING);
  if (deploymentComplete(d, status)) {
    const msg = progressMessage(d, newRS, 'has successfully progressed.');
    setCondition(
      status,
      newCondition(
        { type: PROGRESSING, status: 'True', reason: Reason.NewReplicaSetAvailable, message: msg },
        now,
      ),
    );
  } else if (deploymentProgressing(d, status)) {
    // Unlike other conditions, Progressing is rewritten on every sign of progress so that
    // lastUpdateTime tracks it; only lastTransitionTime is kept while it stays True.
    const msg = progressMessage(d, newRS, 'is progressing.');
    const condition = newCondition(
      { type: PROGRESSING, status: 'True', reason: Reason.ReplicaSetUpdated, message: msg },
      now,
    );
    if (current?.status === 'True') {
      condition.lastTransitionTime = current.lastTransitionTime;
    }
    removeCondition(status, PROGRESSING);
    setCondition(status, condition);
  } else if (deploymentTimedOut(d, status, now)) {
    const msg = progressMessage(d, newRS, 'has timed out progressing.');
    setCondition(
      status,
      newCondition(
        { type: PROGRESSING, status: 'False', reason: Reason.TimedOut, message: msg },
        now,
      ),
    );
  }
}

/** ReplicaFailure conditions of the new RS first, else of any RS, as deployment conditions. */
function replicaFailure(
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): DeploymentCondition | undefined {
  for (const rs of newRS ? [newRS, ...allRSs] : allRSs) {
    const c = rs.status?.conditions?.find((cond) => cond.type === REPLICA_FAILURE);
    if (c) {
      const at = c.lastTransitionTime;
      return { ...c, lastUpdateTime: at, lastTransitionTime: at };
    }
  }
  return undefined;
}

/** syncRolloutStatus's computation: counts, Available, Progressing and ReplicaFailure. */
export function rolloutStatus(
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: Date,
): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) {
    removeCondition(status, PROGRESSING);
  }
  // A finished rollout being resynced (one active RS) estimates no progress.
  const current = getCondition(d.status, PROGRESSING);
  const isComplete =
    status.replicas === status.updatedReplicas && current?.reason === Reason.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    updateProgressing(d, newRS, status, now);
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) {
    setCondition(status, failure);
  } else {
    removeCondition(status, REPLICA_FAILURE);
  }
  return status;
}

/**
 * requeueStuckDeployment: when a rollout shows no progress, how long until its deadline check
 * (plus a second for timestamp truncation); undefined when no check is due.
 */
export function progressCheckDelayMs(
  d: Deployment,
  status: DeploymentStatus,
  now: Date,
): number | undefined {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) {
    return undefined;
  }
  if (deploymentComplete(d, status) || current.reason === Reason.TimedOut) {
    return undefined;
  }
  const from = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(from)) {
    return undefined;
  }
  const deadline = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
  return Math.max(deadline - now.getTime(), 0) + 1000;
}

/** checkPausedConditions: the Progressing condition to set on pause or resume, if any. */
export function pausedCondition(d: Deployment, now: Date): DeploymentCondition | undefined {
  if (!hasProgressDeadline(d)) {
    return undefined;
  }
  const current = getCondition(d.status, PROGRESSING);
  if (current?.reason === Reason.TimedOut) {
    // A reported lack of progress is not overwritten by a pause.
    return undefined;
  }
  const isPausedReported = current?.reason === Reason.Paused;
  if (d.spec?.paused && !isPausedReported) {
    return newCondition(
      {
        type: PROGRESSING,
        status: 'Unknown',
        reason: Reason.Paused,
        message: 'Deployment is paused',
      },
      now,
    );
  }
  if (!d.spec?.paused && isPausedReported) {
    return newCondition(
      {
        type: PROGRESSING,
        status: 'Unknown',
        reason: Reason.Resumed,
        message: 'Deployment is resumed',
      },
      now,
    );
  }
  return undefined;
}
