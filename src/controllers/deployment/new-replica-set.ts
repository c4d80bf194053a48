// Finding or creating the deployment's new replica set and syncing revisions (port of upstream
// sync.go getAllReplicaSetsAndSyncRevision / getNewReplicaSet): an old RS whose template is
// back in the deployment (kubectl rollout undo) becomes the new one at revision max+1.
import { newControllerRef } from '../common/owner-refs.js';
import { isControlledBy } from '../common/owner-refs.js';
import { REPLICASETS } from '../../client/resources.js';
import { isAlreadyExists } from '../../lib/errors.js';
import { PROGRESSING, getCondition, newCondition, setCondition } from './conditions.js';
import { hasProgressDeadline } from './progress.js';
import { maxRevision, setDeploymentRevision, setNewReplicaSetAnnotations } from './revisions.js';
import { FIELD_MANAGER, type SyncRun } from './run.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, Reason, nameOf } from './types.js';
import type { Deployment, ReplicaSet } from './types.js';
import {
  computeHash,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  newRSNewReplicas,
} from './util.js';

/** The new RS (undefined if none and create is false) and every old RS, revisions synced. */
export async function getAllReplicaSetsAndSyncRevision(
  run: SyncRun,
  create: boolean,
): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
  const oldRSs = findOldReplicaSets(run.d, run.rsList);
  const newRS = await getNewReplicaSet(run, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(
  run: SyncRun,
  oldRSs: ReplicaSet[],
  create: boolean,
): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(run.d, run.rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    return syncExisting(run, existing, newRevision);
  }
  return create ? createNewReplicaSet(run, oldRSs, newRevision) : undefined;
}

async function syncExisting(run: SyncRun, existing: ReplicaSet, newRevision: number) {
  const d = run.d;
  const copy = structuredClone(existing);
  const isAnnotationChanged = setNewReplicaSetAnnotations(d, copy, newRevision, { exists: true });
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  if (isAnnotationChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    copy.spec = { ...copy.spec, minReadySeconds };
    // The deployment's own revision follows on the next sync, from this RS's annotation.
    return run.updateReplicaSet(copy);
  }
  let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION]);
  // A deployment that never reported progress starts its clock at the RS it found.
  if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
    const msg = `Found new replica set "${nameOf(copy)}"`;
    const condition = newCondition(
      { type: PROGRESSING, status: 'True', reason: Reason.FoundNewReplicaSet, message: msg },
      run.now(),
    );
    setCondition((d.status ??= {}), condition);
    needsUpdate = true;
  }
  if (needsUpdate) {
    await run.writeStatus();
  }
  return copy;
}

/** The RS for the deployment's current template, named `<deployment>-<pod-template-hash>`. */
export function newReplicaSetFor(d: Deployment): ReplicaSet {
  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${nameOf(d)}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      labels: { ...labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
}

async function createNewReplicaSet(
  run: SyncRun,
  oldRSs: ReplicaSet[],
  newRevision: number,
): Promise<ReplicaSet> {
  const d = run.d;
  const rs = newReplicaSetFor(d);
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec = { ...rs.spec, replicas };
  setNewReplicaSetAnnotations(d, rs, newRevision, { exists: false });
  let created: ReplicaSet;
  let isAlreadyThere = false;
  try {
    created = await run.deps.client.create(REPLICASETS, rs, {
      fieldManager: FIELD_MANAGER,
    });
  } catch (err) {
    if (!isAlreadyExists(err)) {
      await reportCreateFailure(run, nameOf(rs), err);
      throw err;
    }
    created = await adoptExistingOrCollide(run, nameOf(rs), err);
    isAlreadyThere = true;
  }
  run.remember(created);
  if (!isAlreadyThere && replicas > 0) {
    run.event(
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${nameOf(created)} to ${replicas}`,
    );
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!isAlreadyThere && hasProgressDeadline(d)) {
    const msg = `Created new replica set "${nameOf(created)}"`;
    const condition = newCondition(
      { type: PROGRESSING, status: 'True', reason: Reason.NewReplicaSetCreated, message: msg },
      run.now(),
    );
    setCondition((d.status ??= {}), condition);
    needsUpdate = true;
  }
  if (needsUpdate) {
    await run.writeStatus();
  }
  return created;
}

/**
 * The name is taken. If it is our RS with our template (a stale cache), it is the new RS;
 * otherwise the hash collided: bump status.collisionCount so the next sync picks a new name.
 */
async function adoptExistingOrCollide(
  run: SyncRun,
  name: string,
  err: unknown,
): Promise<ReplicaSet> {
  const d = run.d;
  const found = (await run.deps.client.get(REPLICASETS, run.namespace, name)) as ReplicaSet;
  if (isControlledBy(found, d) && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
    return found;
  }
  const status = (d.status ??= {});
  const before = status.collisionCount ?? 0;
  status.collisionCount = before + 1;
  await run.writeStatus();
  run.deps.log.info(
    { deployment: `${run.namespace}/${nameOf(d)}`, before, after: before + 1 },
    'hash collision for the new replica set: bumping collisionCount',
  );
  throw err;
}

async function reportCreateFailure(run: SyncRun, name: string, err: unknown): Promise<void> {
  const d = run.d;
  const msg = `Failed to create new replica set "${name}": ${err instanceof Error ? err.message : String(err)}`;
  if (hasProgressDeadline(d)) {
    setCondition(
      (d.status ??= {}),
      newCondition(
        { type: PROGRESSING, status: 'False', reason: Reason.FailedRSCreate, message: msg },
        run.now(),
      ),
    );
    // The create error is what matters; a failed status write only delays the condition.
    await run
      .writeStatus()
      .catch((e: unknown) => run.deps.log.debug({ err: e }, 'status write failed'));
  }
  run.event('Warning', Reason.FailedRSCreate, msg);
}
