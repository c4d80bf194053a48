// Deployment conditions (upstream deployment/util's condition helpers): creating, finding,
// setting (keeping the transition time while the status holds) and removing them.
import { formatTime } from '../../apis/meta.js';
import type { ConditionStatus, DeploymentCondition, DeploymentStatus } from './types.js';

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
export const REPLICA_FAILURE = 'ReplicaFailure';

/** NewDeploymentCondition, stamped with now for both update and transition time. */
export function newCondition(
  fields: { type: string; status: ConditionStatus; reason: string; message: string },
  now: Date,
): DeploymentCondition {
  const at = formatTime(now);
  const { type, status, reason, message } = fields;
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export function getCondition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) {
    status.conditions = kept;
  } else {
    delete status.conditions;
  }
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left alone; the
 * transition time survives while the status stays the same; the new one goes last.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current?.status === condition.status && current.reason === condition.reason) {
    return;
  }
  const next = { ...condition };
  if (current?.status === condition.status) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  removeCondition(status, condition.type);
  status.conditions = [...(status.conditions ?? []), next];
}
