// The PodDisruptionBudget side of an eviction: which budgets cover a pod, and the verify-and-
// decrement of disruptionsAllowed with a disruptedPods entry (upstream eviction.go checkAndDecrement).
import type { KubeObject, LabelSelector } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import { ApiError, isConflict } from '../../lib/errors.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import type { Scope } from '../rest/context.js';
import type { ResourceService } from '../rest/resource-service.js';

/** More entries than this mean the disruption controller is not keeping up: refuse. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** Conflicting writes are retried this often (upstream EvictionsRetry's steps). */
export const EVICTION_RETRIES = 20;

const TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget.";

interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface Budget extends KubeObject {
  spec?: { selector?: LabelSelector | null; unhealthyPodEvictionPolicy?: string | null };
  status?: {
    observedGeneration?: number;
    disruptedPods?: Record<string, string>;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    conditions?: Condition[];
  };
}

/** The budgets in the pod's namespace selecting it; a null, empty or invalid selector selects none. */
export function budgetsForPod(svc: ResourceService, pdbScope: Scope, pod: KubeObject): Budget[] {
  const { items } = svc.listStored({ ...pdbScope, namespace: pod.metadata.namespace ?? '' }, {});
  return (items as Budget[]).filter((pdb) => {
    try {
      const selector = labelSelectorFromObject(pdb.spec?.selector);
      return !selector.isEmpty() && selector.matches(pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

/** 429 while the disruption controller has not yet seen the budget's newest spec. */
export function stillProcessing(pdbName: string): ApiError {
  return new ApiError(429, 'TooManyRequests', TOO_MANY, {
    retryAfterSeconds: 10,
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdbName} is still being processed by the server.`,
      },
    ],
  });
}

function forbidden(pdbName: string, why: string): ApiError {
  return new ApiError(
    403,
    'Forbidden',
    `poddisruptionbudget.policy "${pdbName}" is forbidden: ${why}`,
    { name: pdbName, group: 'policy', kind: 'poddisruptionbudget' },
  );
}

/**
 * Takes one disruption from the budget for podName, or throws 429 when it has none. Retried on
 * conflict with a fresh copy of the budget, as upstream's RetryOnConflict.
 */
export function takeDisruption(
  svc: ResourceService,
  pdbScope: Scope,
  budget: Budget,
  req: { podName: string; dryRun: boolean; now: Date },
): void {
  const scope = { ...pdbScope, namespace: budget.metadata.namespace ?? '' };
  let pdb = budget;
  for (let attempt = 1; ; attempt++) {
    try {
      checkAndDecrement(svc, scope, pdb, req);
      return;
    } catch (err) {
      if (!isConflict(err) || attempt >= EVICTION_RETRIES) {
        throw err;
      }
      pdb = svc.getStored(scope, pdb.metadata.name ?? '');
    }
  }
}

function checkAndDecrement(
  svc: ResourceService,
  scope: Scope,
  pdb: Budget,
  req: { podName: string; dryRun: boolean; now: Date },
): void {
  const refused = refusal(pdb);
  if (refused) {
    throw refused;
  }
  const status = pdb.status ?? {};
  const next = structuredClone(pdb);
  const nextStatus = { ...status, disruptionsAllowed: (status.disruptionsAllowed ?? 0) - 1 };
  if (nextStatus.disruptionsAllowed === 0) {
    nextStatus.conditions = insufficientPods(status.conditions ?? [], status, req.now);
  }
  if (req.dryRun) {
    return;
  }
  // Tells the disruption controller not to count the pod as healthy while its deletion is on
  // the way; the controller drops the entry once it sees the pod deleting, or after 2 minutes.
  nextStatus.disruptedPods = {
    ...(status.disruptedPods ?? {}),
    [req.podName]: formatTime(req.now),
  };
  next.status = nextStatus;
  svc.replaceStored(scope, pdb, next, { subresource: 'status' });
}

/** Why the budget cannot give a disruption now, if it cannot. */
function refusal(pdb: Budget): ApiError | undefined {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status ?? {};
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    return stillProcessing(name);
  }
  const why = forbiddenReason(status);
  if (why) {
    return forbidden(name, why);
  }
  if ((status.disruptionsAllowed ?? 0) > 0) {
    return undefined;
  }
  return new ApiError(429, 'TooManyRequests', TOO_MANY, {
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      },
    ],
  });
}

function forbiddenReason(status: NonNullable<Budget['status']>): string | undefined {
  if ((status.disruptionsAllowed ?? 0) < 0) {
    return 'pdb disruptions allowed is negative';
  }
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    return 'DisruptedPods map too big - too many evictions not confirmed by PDB controller';
  }
  return undefined;
}

/** pdbhelper.UpdateDisruptionAllowedCondition with no disruptions left: False/InsufficientPods. */
function insufficientPods(
  conditions: Condition[],
  status: NonNullable<Budget['status']>,
  now: Date,
): Condition[] {
  const wanted = {
    type: 'DisruptionAllowed',
    status: 'False',
    reason: 'InsufficientPods',
    message: '',
    ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
  };
  const existing = conditions.find((c) => c.type === wanted.type);
  if (!existing) {
    return [...conditions, { ...wanted, lastTransitionTime: formatTime(now) }];
  }
  const lastTransitionTime =
    existing.status === wanted.status ? existing.lastTransitionTime : formatTime(now);
  return conditions.map((c) => (c === existing ? { ...wanted, lastTransitionTime } : c));
}
