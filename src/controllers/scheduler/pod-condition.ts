// The scheduler's one status write: the PodScheduled condition, changed only when it differs
// (upstream podutil.UpdatePodCondition), written through updateStatus with conflict retries.
import type { KubeObject } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { PODS } from '../../client/resources.js';
import { isConflict } from '../../lib/errors.js';

export interface PodConditionInput {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

interface StoredCondition {
  type: string;
  status?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

const MAX_ATTEMPTS = 3;

function isSameCondition(old: StoredCondition, cond: PodConditionInput): boolean {
  return (
    old.status === cond.status &&
    (old.reason ?? '') === (cond.reason ?? '') &&
    (old.message ?? '') === (cond.message ?? '')
  );
}

/**
 * conditions with cond set; undefined when nothing changed. The transition time moves only
 * when the status does.
 */
export function withPodCondition(
  conditions: StoredCondition[] | undefined,
  cond: PodConditionInput,
  now: Date,
): StoredCondition[] | undefined {
  const list = conditions ?? [];
  const old = list.find((c) => c.type === cond.type);
  if (old && isSameCondition(old, cond)) {
    return undefined;
  }
  const isSameStatus = old?.status === cond.status && old.lastTransitionTime;
  const next: StoredCondition = {
    type: cond.type,
    status: cond.status,
    lastProbeTime: null,
    lastTransitionTime: isSameStatus ? old.lastTransitionTime : formatTime(now),
    ...(cond.reason ? { reason: cond.reason } : {}),
    ...(cond.message ? { message: cond.message } : {}),
  };
  return old ? list.map((c) => (c === old ? next : c)) : [...list, next];
}

/** Sets cond on pod (starting from the given copy, re-reading on conflict). */
export async function writePodCondition(
  client: Client,
  pod: KubeObject,
  cond: PodConditionInput,
  now: Date,
): Promise<void> {
  let current = pod;
  for (let attempt = 1; ; attempt++) {
    const status = (current.status ?? {}) as { conditions?: StoredCondition[] };
    const conditions = withPodCondition(status.conditions, cond, now);
    if (!conditions) {
      return;
    }
    try {
      await client.updateStatus(PODS, { ...current, status: { ...status, conditions } });
      return;
    } catch (err) {
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) {
        throw err;
      }
      current = await client.get(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    }
  }
}
