// The Recreate strategy (port of upstream deployment/recreate.go): scale every old RS to 0,
// wait until no old pod runs, and only then create and scale up the new RS.
import type { SyncResult } from '../common/run-workers.js';
import { isPodTerminal } from '../common/pod-util.js';
import type { KubeObject } from '../../apis/meta.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { deploymentComplete } from './progress.js';
import { replicaSetsToDelete } from './revisions.js';
import type { SyncRun } from './run.js';
import { cleanupDeployment, syncRolloutStatus } from './status.js';
import { specReplicas } from './types.js';
import type { ReplicaSet } from './types.js';
import { actualReplicaCount, filterActive } from './util.js';

/** Pods of the deployment by the uid of the RS that controls them. */
export type PodMap = Map<string, KubeObject[]>;

/** oldPodsRunning: an old RS still reports pods, or a non-terminal pod of an old RS exists. */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
  podMap: PodMap,
): boolean {
  if (actualReplicaCount(oldRSs) > 0) {
    return true;
  }
  for (const [uid, pods] of podMap) {
    if (newRS?.metadata.uid === uid) {
      continue;
    }
    // A pod in an unknown phase may still run, so only terminal pods are not counted.
    if (pods.some((pod) => !isPodTerminal(pod))) {
      return true;
    }
  }
  return false;
}

/** rolloutRecreate: one step of a recreate rollout, then the status. */
export async function rolloutRecreate(run: SyncRun, podMap: PodMap): Promise<SyncResult | void> {
  // No new RS yet: creating it now would scale up before the old pods are gone.
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, false);
  const all = (): ReplicaSet[] =>
    [...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => run.latest(rs));
  let isScaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    isScaledDown = (await run.scaleTo(run.latest(rs), 0)).scaled || isScaledDown;
  }
  if (isScaledDown) {
    return syncRolloutStatus(run, all(), newRS && run.latest(newRS));
  }
  if (
    oldPodsRunning(
      newRS,
      oldRSs.map((rs) => run.latest(rs)),
      podMap,
    )
  ) {
    return syncRolloutStatus(run, all(), newRS && run.latest(newRS));
  }
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, true));
  }
  if (newRS) {
    newRS = (await run.scaleTo(run.latest(newRS), specReplicas(run.d))).rs;
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
  return syncRolloutStatus(run, all(), newRS && run.latest(newRS));
}
