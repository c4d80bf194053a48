// Writing what a sync computed (upstream sync.go syncDeploymentStatus / cleanupDeployment and
// progress.go syncRolloutStatus): status only when it changed, a progress-deadline recheck when
// a rollout is idle, and deletion of old replica sets beyond revisionHistoryLimit.
import type { SyncResult } from '../common/run-workers.js';
import { REPLICASETS } from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import { calculateStatus, progressCheckDelayMs, rolloutStatus } from './progress.js';
import type { SyncRun } from './run.js';
import { nameOf } from './types.js';
import type { DeploymentStatus, ReplicaSet } from './types.js';
import { canonicalJson } from './util.js';

async function writeIfChanged(run: SyncRun, status: DeploymentStatus): Promise<boolean> {
  if (canonicalJson(run.d.status ?? {}) === canonicalJson(status)) {
    return false;
  }
  run.d.status = status;
  await run.writeStatus();
  return true;
}

/** syncDeploymentStatus: counts and Available, for scaling and paused syncs. */
export async function syncDeploymentStatus(
  run: SyncRun,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): Promise<void> {
  await writeIfChanged(run, calculateStatus(allRSs, newRS, run.d, run.now()));
}

/** syncRolloutStatus: also Progressing; an idle rollout asks to be looked at by its deadline. */
export async function syncRolloutStatus(
  run: SyncRun,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): Promise<SyncResult | void> {
  const now = run.now();
  const status = rolloutStatus(allRSs, newRS, run.d, now);
  if (await writeIfChanged(run, status)) {
    return;
  }
  const delay = progressCheckDelayMs(run.d, status, now);
  return delay === undefined ? undefined : { requeueAfterMs: delay };
}

/** Deletes the given old replica sets; a replica set already gone is fine. */
export async function cleanupDeployment(run: SyncRun, doomed: ReplicaSet[]): Promise<void> {
  for (const rs of doomed) {
    run.deps.log.debug({ rs: nameOf(rs) }, 'deleting old replica set beyond the history limit');
    try {
      await run.deps.client.delete(REPLICASETS, run.namespace, nameOf(rs), {
        preconditions: { uid: rs.metadata.uid ?? '' },
      });
    } catch (err) {
      // Stop at the first real failure rather than pile more deletes on a struggling server.
      if (!isNotFound(err)) {
        throw err;
      }
    }
  }
}
