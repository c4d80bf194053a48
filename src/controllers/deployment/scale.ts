// Scaling a deployment outside a rollout step (port of upstream sync.go scale): one active RS
// takes the new size; several share it in proportion to their size, so a resize in the middle
// of a rollout neither hastens nor stalls it.
import { replicasAnnotationsNeedUpdate } from './revisions.js';
import type { SyncRun } from './run.js';
import { isRollingUpdate, nameOf, specReplicas } from './types.js';
import type { Deployment, ReplicaSet } from './types.js';
import {
  bySizeNewer,
  bySizeOlder,
  filterActive,
  findActiveOrLatest,
  isSaturated,
  maxSurge,
  proportion,
  replicaCount,
} from './util.js';

/** One resize to apply. Proportional steps name their direction and always run. */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
  proportional?: { operation: string };
}

/**
 * The sizes the active replica sets should take for spec.replicas: each gets its fraction
 * (sized against the max-replicas it was last scaled for), and the rounding leftover goes to
 * the first in order: the largest (newest on ties) when growing, largest (oldest) when shrinking.
 */
export function proportionalSizes(d: Deployment, active: ReplicaSet[]): ScaleStep[] {
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  const ordered = [...active].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  let added = 0;
  const sizes = ordered.map((rs) => {
    if (toAdd === 0) {
      return specReplicas(rs);
    }
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) {
    sizes[0] = Math.max((sizes[0] ?? 0) + toAdd - added, 0);
  }
  return ordered.map((rs, i) => ({ rs, replicas: sizes[i] ?? 0, proportional: { operation } }));
}

/** What scale() does: the steps for a scaling event or a paused deployment. */
export function planScale(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): ScaleStep[] {
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (specReplicas(only) !== specReplicas(d)) {
      return [{ rs: only, replicas: specReplicas(d) }];
    }
    // Already the right size (say, the RS was resized by hand first): upstream leaves its
    // desired-replicas stale, which keeps reporting a scaling event and blocks rollouts.
    const max = specReplicas(d) + maxSurge(d);
    return replicasAnnotationsNeedUpdate(only, specReplicas(d), max)
      ? [{ rs: only, replicas: specReplicas(d), proportional: { operation: '' } }]
      : [];
  }
  if (isSaturated(d, newRS)) {
    return filterActive(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  }
  if (!isRollingUpdate(d)) {
    return [];
  }
  return proportionalSizes(d, filterActive([...oldRSs, newRS]));
}

/** Applies planScale; proportional steps also refresh the replicas annotations of every RS. */
export async function scale(
  run: SyncRun,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): Promise<void> {
  for (const step of planScale(run.d, newRS, oldRSs)) {
    const rs = run.latest(step.rs);
    run.deps.log.debug({ rs: nameOf(rs), replicas: step.replicas }, 'scaling replica set');
    if (step.proportional) {
      // Even an unchanged size rewrites desired-replicas, which ends the scaling event.
      await run.scaleReplicaSet(rs, step.replicas, step.proportional.operation);
    } else {
      await run.scaleTo(rs, step.replicas);
    }
  }
}
