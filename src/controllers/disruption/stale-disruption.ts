// Resets a pod's DisruptionTarget condition to False when it was set (by an eviction) but the pod
// was never deleted within two minutes (upstream disruption.go syncStalePodDisruption).
import type { KubeObject } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { splitKey } from '../../client/informer.js';
import type { Lister } from '../../client/informer.js';
import { PODS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { isPodTerminal, podCondition } from '../common/pod-util.js';
import type { PodCondition } from '../common/pod-util.js';
import type { SyncResult } from '../common/run-workers.js';

export const DISRUPTION_TARGET = 'DisruptionTarget';
/** How long a DisruptionTarget=True condition may stay on a pod that is not being deleted. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;
/** Conditions the kubelet adds may precede the deletion by any time: never stale. */
const TERMINATION_BY_KUBELET = 'TerminationByKubelet';

/**
 * nonTerminatingPodHasStaleDisruptionCondition: undefined when the pod has no such condition,
 * else how long until it is stale (0: now).
 */
export function staleDisruptionDelayMs(
  pod: KubeObject,
  now: Date,
  timeoutMs = STALE_POD_DISRUPTION_TIMEOUT_MS,
): number | undefined {
  if (pod.metadata.deletionTimestamp) {
    return undefined;
  }
  const cond = podCondition(pod, DISRUPTION_TARGET);
  if (!cond || cond.status !== 'True' || cond.reason === TERMINATION_BY_KUBELET) {
    return undefined;
  }
  if (isPodTerminal(pod)) {
    return undefined;
  }
  const since = Date.parse(cond.lastTransitionTime ?? '');
  const elapsed = Number.isNaN(since) ? timeoutMs : now.getTime() - since;
  return Math.max(0, timeoutMs - elapsed);
}

export interface StaleSyncContext {
  client: Client;
  podLister: Lister;
  clock: Clock;
  timeoutMs?: number;
}

/** Sets the pod's stale DisruptionTarget condition to False; requeues while not yet stale. */
export async function syncStalePodDisruption(
  ctx: StaleSyncContext,
  key: string,
): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const pod = ctx.podLister.get(namespace, name);
  if (!pod) {
    return {};
  }
  const now = ctx.clock.now();
  const delayMs = staleDisruptionDelayMs(pod, now, ctx.timeoutMs);
  if (delayMs === undefined) {
    return {};
  }
  if (delayMs > 0) {
    return { requeueAfterMs: delayMs };
  }
  const next = structuredClone(pod);
  const status = (next.status ?? {}) as { conditions?: PodCondition[] };
  // podutil.UpdatePodCondition replaces the whole condition: reason and message go.
  const reset = { type: DISRUPTION_TARGET, status: 'False', lastProbeTime: null };
  status.conditions = (status.conditions ?? []).map<PodCondition>((c) =>
    c.type === DISRUPTION_TARGET ? { ...reset, lastTransitionTime: formatTime(now) } : c,
  );
  next.status = status;
  await ctx.client.updateStatus(PODS, next);
  return {};
}
