// The reconcile of one deployment (port of upstream deployment_controller.go syncDeployment
// and sync.go): claim replica sets, then, in order of precedence, deletion (status only),
// pause (scale but no rollout), a scaling event, or one step of the rollout strategy.
import type { SyncResult } from '../common/run-workers.js';
import type { Lister } from '../../client/informer.js';
import { splitKey } from '../../client/informer.js';
import { controllerOf } from '../common/owner-refs.js';
import { claimReplicaSets, deploymentSelector } from './claim.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { setCondition } from './conditions.js';
import { pausedCondition } from './progress.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { replicaSetsToDelete } from './revisions.js';
import { rolloutRolling } from './rolling.js';
import { SyncRun, type SyncDeps } from './run.js';
import { scale } from './scale.js';
import { cleanupDeployment, syncDeploymentStatus } from './status.js';
import { DESIRED_REPLICAS_ANNOTATION, specReplicas } from './types.js';
import type { Deployment, ReplicaSet } from './types.js';
import { filterActive, intAnnotation } from './util.js';

/** Syncs the deployment with this key; throws to be retried. */
export async function syncDeployment(
  deps: SyncDeps,
  deployments: Lister,
  key: string,
): Promise<SyncResult | void> {
  const { namespace, name } = splitKey(key);
  const cached = deployments.get(namespace, name);
  if (!cached) {
    deps.log.debug({ deployment: key }, 'deployment has been deleted');
    return;
  }
  const run = new SyncRun(deps, structuredClone(cached));
  if (isSelectingAll(run.d)) {
    return refuseSelectingAll(run);
  }
  run.rsList = await claimReplicaSets(run);
  if (run.d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, false);
    return syncDeploymentStatus(run, allOf(run, oldRSs, newRS), newRS);
  }
  await checkPausedConditions(run);
  if (run.d.spec?.paused || (await isScalingEvent(run))) {
    return syncScaling(run);
  }
  return rollout(run);
}

function rollout(run: SyncRun): Promise<SyncResult | void> {
  const strategy = run.d.spec?.strategy?.type ?? 'RollingUpdate';
  switch (strategy) {
    case 'Recreate':
      return rolloutRecreate(run, podMapFor(run));
    case 'RollingUpdate':
      return rolloutRolling(run);
    default:
      throw new Error(`unexpected deployment strategy type: ${strategy}`);
  }
}

const isSelectingAll = (d: Deployment): boolean => {
  const selector = d.spec?.selector;
  return !!selector && !selector.matchLabels && !selector.matchExpressions?.length;
};

/** An empty selector would claim every pod: refuse, but still observe the generation. */
async function refuseSelectingAll(run: SyncRun): Promise<void> {
  const d = run.d;
  const msg = 'This deployment is selecting all pods. A non-empty selector is required.';
  run.event('Warning', 'SelectingAll', msg);
  if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
    (d.status ??= {}).observedGeneration = d.metadata.generation;
    await run.writeStatus();
  }
}

function allOf(run: SyncRun, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] {
  return [...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => run.latest(rs));
}

/** Records a pause or resume in the Progressing condition, so a resume does not time out. */
async function checkPausedConditions(run: SyncRun): Promise<void> {
  const condition = pausedCondition(run.d, run.now());
  if (condition) {
    setCondition((run.d.status ??= {}), condition);
    await run.writeStatus();
  }
}

/** isScalingEvent: an active RS was sized for a different spec.replicas. */
async function isScalingEvent(run: SyncRun): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, false);
  return filterActive(allOf(run, oldRSs, newRS)).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== specReplicas(run.d);
  });
}

/** sync: scaling events and paused deployments; a paused one also trims its history. */
async function syncScaling(run: SyncRun): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(run, false);
  await scale(
    run,
    newRS && run.latest(newRS),
    oldRSs.map((rs) => run.latest(rs)),
  );
  if (run.d.spec?.paused) {
    await cleanupDeployment(
      run,
      replicaSetsToDelete(
        run.d,
        oldRSs.map((rs) => run.latest(rs)),
      ),
    );
  }
  const latestNew = newRS && run.latest(newRS);
  await syncDeploymentStatus(run, allOf(run, oldRSs, newRS), latestNew);
}

/** getPodMapForDeployment: the deployment's pods, grouped by their controlling RS. */
function podMapFor(run: SyncRun): PodMap {
  const selector = deploymentSelector(run);
  const map: PodMap = new Map(run.rsList.map((rs) => [rs.metadata.uid ?? '', []]));
  for (const pod of run.deps.pods.list(run.namespace)) {
    const uid = controllerOf(pod)?.uid;
    if (uid !== undefined && selector.matches(pod.metadata.labels)) {
      map.get(uid)?.push(pod);
    }
  }
  return map;
}
