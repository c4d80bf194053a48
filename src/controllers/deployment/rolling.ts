// The RollingUpdate strategy (port of upstream deployment/rolling.go): scale the new RS up
// within maxSurge, then old ones down within maxUnavailable, unhealthy replicas first.
import { replicaSetsToDelete } from './revisions.js';
import { cleanupDeployment, syncRolloutStatus } from './status.js';
import type { SyncRun } from './run.js';
import { deploymentComplete } from './progress.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { availableReplicas, nameOf, specReplicas } from './types.js';
import type { Deployment, ReplicaSet } from './types.js';
import {
  availableReplicaCount,
  byCreation,
  filterActive,
  maxUnavailable,
  newRSNewReplicas,
  replicaCount,
} from './util.js';
import type { SyncResult } from '../common/run-workers.js';

/** reconcileNewReplicaSet's target for the new RS, or undefined when it stays as it is. */
export function newReplicaSetTarget(
  d: Deployment,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet,
): number | undefined {
  const current = specReplicas(newRS);
  if (current === specReplicas(d)) {
    return undefined;
  }
  if (current > specReplicas(d)) {
    return specReplicas(d);
  }
  const target = newRSNewReplicas(d, allRSs, newRS);
  return target === current ? undefined : target;
}

/** One scale-down of an old RS, in the order upstream applies them. */
export interface ScaleDownStep {
  name: string;
  replicas: number;
}

/**
 * reconcileOldReplicaSets as a plan. At most allPods - minAvailable - (new RS's unavailable
 * pods) may go: first replicas that are not available anyway (they cost no availability), then
 * available ones down to minAvailable, oldest RS first.
 */
export function planOldScaleDown(
  d: Deployment,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
): ScaleDownStep[] {
  if (replicaCount(oldRSs) === 0) {
    return [];
  }
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - availableReplicas(newRS);
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) {
    return [];
  }
  const ordered = [...oldRSs].sort(byCreation);
  const sizes = new Map(ordered.map((rs) => [nameOf(rs), specReplicas(rs)]));
  const steps: ScaleDownStep[] = [];
  let cleaned = 0;
  for (const rs of ordered) {
    const size = specReplicas(rs);
    const unhealthy = size - availableReplicas(rs);
    if (cleaned >= maxScaledDown || size === 0 || unhealthy <= 0) {
      continue;
    }
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(nameOf(rs), size - n);
    steps.push({ name: nameOf(rs), replicas: size - n });
    cleaned += n;
  }
  // Availability counts status, which the clean-up above has not changed yet.
  const available = availableReplicaCount([...oldRSs, newRS]);
  const budget = available - minAvailable;
  let scaled = 0;
  for (const rs of ordered) {
    const size = sizes.get(nameOf(rs)) ?? 0;
    if (scaled >= budget || size === 0) {
      continue;
    }
    const n = Math.min(size, budget - scaled);
    steps.push({ name: nameOf(rs), replicas: size - n });
    scaled += n;
  }
  return steps;
}

async function reconcileOldReplicaSets(
  run: SyncRun,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet,
): Promise<boolean> {
  const oldRSs = filterActive(allRSs.filter((rs) => rs.metadata.uid !== newRS.metadata.uid));
  let isScaled = false;
  for (const step of planOldScaleDown(run.d, allRSs, oldRSs, newRS)) {
    const rs = run.rsList.find((x) => nameOf(x) === step.name);
    if (rs) {
      isScaled = (await run.scaleTo(rs, step.replicas)).scaled || isScaled;
    }
  }
  return isScaled;
}

/** rolloutRolling: one step of a rolling update, then the status. */
export async function rolloutRolling(run: SyncRun): Promise<SyncResult | void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, true);
  if (!newRS) {
    throw new Error('no new replica set after creating one');
  }
  const current = (): { all: ReplicaSet[]; newRS: ReplicaSet } => ({
    all: [...oldRSs, newRS].map((rs) => run.latest(rs)),
    newRS: run.latest(newRS),
  });
  let now = current();
  const target = newReplicaSetTarget(run.d, now.all, now.newRS);
  if (target !== undefined && (await run.scaleTo(now.newRS, target)).scaled) {
    now = current();
    return syncRolloutStatus(run, now.all, now.newRS);
  }
  if (await reconcileOldReplicaSets(run, now.all, now.newRS)) {
    now = current();
    return syncRolloutStatus(run, now.all, now.newRS);
  }
  if (deploymentComplete(run.d, run.d.status ?? {})) {
    await cleanupDeployment(
      run,
      replicaSetsToDelete(
        run.d,
        oldRSs.map((rs) => run.latest(rs)),
      ),
    );
  }
  return syncRolloutStatus(run, now.all, now.newRS);
}
