// Evicting a pod is a delete checked against its PodDisruptionBudget: pods already disrupted go
// at once, others take a disruption from their budget first (upstream
// pkg/registry/core/pod/storage/eviction.go Create).
import type { KubeObject } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { Status } from '../../lib/errors.js';
import { conflict, isConflict } from '../../lib/errors.js';
import type { Scope, WriteOptions } from '../rest/context.js';
import { deleteObject } from '../rest/delete.js';
import type { DeleteOptions } from '../rest/delete.js';
import type { ResourceService } from '../rest/resource-service.js';
import {
  budgetsForPod,
  EVICTION_RETRIES,
  stillProcessing,
  takeDisruption,
} from './eviction-budget.js';
import type { Budget } from './eviction-budget.js';

export interface EvictionRequest {
  podScope: Scope;
  pdbScope: Scope;
  name: string;
  /** The eviction's deleteOptions, dryRun already merged with the request's. */
  deleteOptions: DeleteOptions;
  opts: WriteOptions;
  now: Date;
}

const EVICTED: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  code: 201,
};

/**
 * Several budgets select the pod. Upstream returns this as a create result (HTTP 201 carrying
 * code 500, which client-go takes for success); kubeproc answers with its code (ADR 0012).
 */
export const MULTIPLE_BUDGETS: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
  code: 500,
};

/** Evicts the pod, or throws the 429/403/409 that says why not. */
export function evictPod(svc: ResourceService, req: EvictionRequest): Status {
  const original = req.deleteOptions;
  const hasRvPrecondition = !!original.preconditions?.resourceVersion;
  const pod = deleteIfUndisrupting(svc, req);
  if (!pod) {
    return EVICTED;
  }
  const budgets = budgetsForPod(svc, req.pdbScope, pod);
  if (budgets.length > 1) {
    return MULTIPLE_BUDGETS;
  }
  const [budget] = budgets;
  const { options, unhealthyMayGo } = budget
    ? admitByBudget(svc, req, pod, budget)
    : { options: original, unhealthyMayGo: false };
  try {
    markAndDelete(svc, req, options);
  } catch (err) {
    if (isConflict(err) && unhealthyMayGo && !hasRvPrecondition) {
      throw stillProcessing(budget?.metadata.name ?? '');
    }
    throw err;
  }
  return EVICTED;
}

/**
 * Pods that are not running (or already going) have disrupted nothing the budget guards: they
 * are deleted at once. Returns the pod when its budget must be asked instead.
 */
function deleteIfUndisrupting(svc: ResourceService, req: EvictionRequest): KubeObject | undefined {
  const original = req.deleteOptions;
  const hasRvPrecondition = !!original.preconditions?.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    try {
      const pod = svc.getStored(req.podScope, req.name);
      if (!canIgnoreBudget(pod)) {
        return pod;
      }
      // Pinning the resourceVersion keeps a pod that turned Running meanwhile from slipping by.
      const options =
        shouldEnforceResourceVersion(pod) && !hasRvPrecondition
          ? withResourceVersion(original, pod.metadata.resourceVersion)
          : original;
      markAndDelete(svc, req, options);
      return undefined;
    } catch (err) {
      if (hasRvPrecondition || !isConflict(err) || attempt >= EVICTION_RETRIES) {
        throw err;
      }
    }
  }
}

/**
 * Takes a disruption from the budget, unless the pod is unready and may go for free; then the
 * delete must find it as unready as it was read (pinned resourceVersion).
 */
function admitByBudget(
  svc: ResourceService,
  req: EvictionRequest,
  pod: KubeObject,
  budget: Budget,
): { options: DeleteOptions; unhealthyMayGo: boolean } {
  const original = req.deleteOptions;
  if (unhealthyPodMayGo(pod, budget)) {
    return {
      options: withResourceVersion(original, pod.metadata.resourceVersion),
      unhealthyMayGo: true,
    };
  }
  takeDisruption(svc, req.pdbScope, budget, {
    podName: req.name,
    dryRun: isDryRun(original),
    now: req.now,
  });
  return { options: original, unhealthyMayGo: false };
}

/** Terminal, Pending or already deleting. */
export function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Pending' ||
    !!pod.metadata.deletionTimestamp
  );
}

function shouldEnforceResourceVersion(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/**
 * An unready pod may go without taking a disruption under AlwaysAllow, or (IfHealthyBudget,
 * the default) while the budget has the healthy pods it wants.
 */
function unhealthyPodMayGo(pod: KubeObject, pdb: Budget): boolean {
  if (isPodReady(pod)) {
    return false;
  }
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') {
    return true;
  }
  const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
  return currentHealthy >= desiredHealthy && desiredHealthy > 0;
}

/**
 * addConditionAndDeletePod: marks the pod DisruptionTarget (EvictionByEvictionAPI), checking
 * the preconditions against the newest pod, then deletes it with those options.
 */
function markAndDelete(svc: ResourceService, req: EvictionRequest, options: DeleteOptions): void {
  const dryRun = isDryRun(options);
  let effective = options;
  if (!dryRun) {
    const latest = svc.getStored(req.podScope, req.name);
    checkPreconditions(latest, options);
    const marked = svc.replaceStored(req.podScope, latest, withDisruptionTarget(latest, req.now), {
      subresource: 'status',
    });
    if (options.preconditions?.resourceVersion) {
      // This write moved the resourceVersion on: the delete must expect the new one.
      effective = withResourceVersion(options, marked.metadata.resourceVersion);
    }
  }
  deleteObject(svc, req.podScope, req.name, effective, { ...req.opts, dryRun });
}

function checkPreconditions(pod: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  const gr = { group: '', resource: 'Pod' };
  const name = pod.metadata.name ?? '';
  if (pre?.uid && pre.uid !== pod.metadata.uid) {
    throw conflict(
      gr,
      name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion ?? ''}). The object might have been modified`,
    );
  }
}

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  [field: string]: unknown;
}

/** podutil.UpdatePodCondition with DisruptionTarget=True: the whole condition is replaced. */
function withDisruptionTarget(pod: KubeObject, now: Date): KubeObject {
  const next = structuredClone(pod);
  const status = (next.status ?? {}) as { conditions?: PodCondition[] };
  const conditions = status.conditions ?? [];
  const old = conditions.find((c) => c.type === 'DisruptionTarget');
  const condition: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime:
      old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : formatTime(now),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  status.conditions = old
    ? conditions.map((c) => (c === old ? condition : c))
    : [...conditions, condition];
  next.status = status;
  return next;
}

function withResourceVersion(options: DeleteOptions, rv: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, resourceVersion: rv ?? '' } };
}

function isDryRun(options: DeleteOptions): boolean {
  return (options.dryRun ?? []).length > 0;
}

function phaseOf(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? '';
}

function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: PodCondition[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}
