// The ReplicaSet reconcile: claim pods, create or delete the difference, write status
// (upstream pkg/controller/replicaset/replica_set.go syncReplicaSet, manageReplicas).
import type { Logger } from 'pino';
import type { KubeObject } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { Lister } from '../../client/informer.js';
import { REPLICASETS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import { controllerOf, newControllerRef } from '../common/owner-refs.js';
import { isPodActive } from '../common/pod-util.js';
import type { SyncResult } from '../common/run-workers.js';
import { slowStartBatch } from '../common/slow-start.js';
import { claimPods } from './claim.js';
import type { ControllerExpectations } from './expectations.js';
import { FIELD_MANAGER, isNamespaceTerminating } from './pod-control.js';
import type { PodControl } from './pod-control.js';
import { getPodsToDelete } from './ranking.js';
import {
  calculateStatus,
  desiredReplicas,
  isStatusUpToDate,
  nextAvailableCheckMs,
  withObservedGeneration,
} from './status.js';
import type { ReplicaSetStatus } from './status.js';

/** At most this many pods are created or deleted per sync (upstream BurstReplicas). */
export const BURST_REPLICAS = 500;
/** Pod creates start with one call, then double per successful batch. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
const STATUS_UPDATE_RETRIES = 1;

export interface SyncContext {
  client: Client;
  rsLister: Lister;
  podLister: Lister;
  expectations: ControllerExpectations;
  podControl: PodControl;
  clock: Clock;
  log: Logger;
}

/** `namespace/name` of a pod, as expectations track deletions. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Reconciles the ReplicaSet with key; throws to be retried. */
export async function syncReplicaSet(ctx: SyncContext, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const cached = ctx.rsLister.get(namespace, name);
  if (!cached) {
    ctx.expectations.deleteExpectations(key);
    return {};
  }
  const rs: ReplicaSet = { ...cached, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
  const needsSync = ctx.expectations.satisfiedExpectations(key);
  let selector: LabelSelectorMatcher;
  try {
    selector = labelSelectorFromObject(rs.spec?.selector);
  } catch (err) {
    // Retrying cannot fix a bad selector; a spec update will requeue the key.
    ctx.log.error({ err, key }, 'error converting pod selector to selector');
    return {};
  }
  const active = ctx.podLister.list(namespace).filter(isPodActive);
  const owned = await claimPods(active, {
    rs,
    selector,
    controllerRef: newControllerRef(rs, 'apps/v1', 'ReplicaSet'),
    podControl: ctx.podControl,
    getFresh: () => ctx.client.get(REPLICASETS, namespace, name),
  });
  let manageErr: unknown;
  if (needsSync && !rs.metadata.deletionTimestamp) {
    try {
      await manageReplicas(ctx, rs, owned);
    } catch (err) {
      manageErr = err;
    }
  }
  const now = ctx.clock.now();
  await updateStatus(ctx, rs, calculateStatus(rs, owned, manageErr, now));
  if (manageErr !== undefined) {
    throw asError(manageErr);
  }
  const waitMs = nextAvailableCheckMs(owned, rs.spec?.minReadySeconds ?? 0, now);
  return waitMs === undefined ? {} : { requeueAfterMs: waitMs };
}

/** Creates or deletes pods so owned matches spec.replicas. */
async function manageReplicas(
  ctx: SyncContext,
  rs: ReplicaSet,
  owned: KubeObject[],
): Promise<void> {
  const diff = owned.length - desiredReplicas(rs);
  if (diff < 0) {
    await createReplicas(ctx, rs, Math.min(-diff, BURST_REPLICAS));
  } else if (diff > 0) {
    await deleteReplicas(ctx, rs, owned, Math.min(diff, BURST_REPLICAS));
  }
}

async function createReplicas(ctx: SyncContext, rs: ReplicaSet, count: number): Promise<void> {
  const key = keyOf(rs);
  ctx.expectations.expectCreations(key, count);
  ctx.log.debug({ key, need: desiredReplicas(rs), creating: count }, 'Too few replicas');
  const controllerRef = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
  const { successes, error } = await slowStartBatch(
    count,
    SLOW_START_INITIAL_BATCH_SIZE,
    async () => {
      try {
        await ctx.podControl.createPod(rs, controllerRef);
      } catch (err) {
        // Every create fails in a terminating namespace; nothing to retry or report.
        if (!isNamespaceTerminating(err)) {
          throw err;
        }
      }
    },
  );
  // Pods never created will never be observed.
  ctx.expectations.lower(key, count - successes, 0);
  if (error !== undefined) {
    throw asError(error);
  }
}

async function deleteReplicas(
  ctx: SyncContext,
  rs: ReplicaSet,
  owned: KubeObject[],
  count: number,
): Promise<void> {
  const key = keyOf(rs);
  ctx.log.debug({ key, need: desiredReplicas(rs), deleting: count }, 'Too many replicas');
  const related = indirectlyRelatedPods(ctx, rs);
  const victims = getPodsToDelete(owned, related, count, ctx.clock.now());
  ctx.expectations.expectDeletions(key, victims.map(podKey));
  const results = await Promise.allSettled(
    victims.map(async (pod) => {
      try {
        await ctx.podControl.deletePod(rs, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      } catch (err) {
        // This deletion will never be observed.
        ctx.expectations.deletionObserved(key, podKey(pod));
        if (!isNotFound(err)) {
          throw err;
        }
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    throw asError(failed.reason);
  }
}

/** Pods of every ReplicaSet sharing rs's controller (e.g. one Deployment's old and new sets). */
function indirectlyRelatedPods(ctx: SyncContext, rs: ReplicaSet): KubeObject[] {
  const ref = controllerOf(rs);
  if (!ref) {
    return [];
  }
  const namespace = rs.metadata.namespace ?? '';
  const pods = ctx.podLister.list(namespace);
  const seen = new Map<string, KubeObject>();
  for (const other of ctx.rsLister.list(namespace)) {
    if (controllerOf(other)?.uid !== ref.uid) {
      continue;
    }
    let selector: LabelSelectorMatcher;
    try {
      selector = labelSelectorFromObject((other as ReplicaSet).spec?.selector);
    } catch {
      continue; // An invalid selector matches no pods.
    }
    pods
      .filter((p) => selector.matches(p.metadata.labels) && !seen.has(p.metadata.uid ?? ''))
      .forEach((p) => seen.set(p.metadata.uid ?? '', p));
  }
  return [...seen.values()];
}

/** Writes next as rs's status unless nothing changed; one retry on a fresh read, as upstream. */
async function updateStatus(
  ctx: SyncContext,
  rs: ReplicaSet,
  next: ReplicaSetStatus,
): Promise<void> {
  if (isStatusUpToDate(rs, next)) {
    return;
  }
  // The generation acted on, even if a retry reads a newer object.
  const status = withObservedGeneration(rs, next);
  let current: KubeObject = rs;
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.updateStatus(
        REPLICASETS,
        { ...structuredClone(current), status },
        { fieldManager: FIELD_MANAGER },
      );
      return;
    } catch (err) {
      if (attempt >= STATUS_UPDATE_RETRIES) {
        throw err;
      }
      const { namespace = '', name = '' } = rs.metadata;
      current = await ctx.client.get(REPLICASETS, namespace, name);
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
