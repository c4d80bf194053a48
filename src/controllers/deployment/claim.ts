// Which replica sets a deployment manages (upstream ControllerRefManager.ClaimReplicaSets):
// its own that still match its selector, orphans that match (adopted), and none of another's;
// its own that stopped matching are released.
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import { DEPLOYMENTS, REPLICASETS } from '../../client/resources.js';
import { isInvalid, isNotFound } from '../../lib/errors.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import { controllerOf, newControllerRef } from '../common/owner-refs.js';
import { FIELD_MANAGER, type SyncRun } from './run.js';
import { nameOf } from './types.js';
import type { ReplicaSet } from './types.js';

/** The deployment's selector; an unparseable one is an error that retrying will not fix. */
export function deploymentSelector(run: SyncRun): LabelSelectorMatcher {
  const d = run.d;
  try {
    return labelSelectorFromObject(d.spec?.selector);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`deployment ${run.namespace}/${nameOf(d)} has invalid label selector: ${why}`, {
      cause: err,
    });
  }
}

/** getReplicaSetsForDeployment: the claimed replica sets, adopting and releasing as needed. */
export async function claimReplicaSets(run: SyncRun): Promise<ReplicaSet[]> {
  const d = run.d;
  const selector = deploymentSelector(run);
  const claimed: ReplicaSet[] = [];
  let canAdopt: Promise<void> | undefined;
  for (const obj of run.deps.replicaSets.list(run.namespace)) {
    const rs = obj as ReplicaSet;
    const ref = controllerOf(rs);
    const matches = selector.matches(rs.metadata.labels);
    if (ref) {
      if (ref.uid !== d.metadata.uid) {
        continue;
      }
      if (matches) {
        claimed.push(rs);
      } else if (!d.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        await release(run, rs);
      }
      continue;
    }
    if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) {
      continue;
    }
    canAdopt ??= recheckDeletion(run);
    await canAdopt;
    const adopted = await adopt(run, rs);
    if (adopted) {
      claimed.push(adopted);
    }
  }
  return claimed;
}

/** Adoption needs a fresh read: a deployment being deleted must not take new children. */
async function recheckDeletion(run: SyncRun): Promise<void> {
  const fresh = await run.deps.client.get(DEPLOYMENTS, run.namespace, nameOf(run.d));
  if (fresh.metadata.uid !== run.d.metadata.uid) {
    throw new Error(
      `original Deployment ${run.namespace}/${nameOf(run.d)} is gone: got uid ${fresh.metadata.uid ?? ''}, wanted ${run.d.metadata.uid ?? ''}`,
    );
  }
  if (fresh.metadata.deletionTimestamp) {
    throw new Error(
      `${run.namespace}/${nameOf(run.d)} has just been deleted at ${fresh.metadata.deletionTimestamp}`,
    );
  }
}

async function patchOwners(
  run: SyncRun,
  rs: ReplicaSet,
  owners: OwnerReference[],
): Promise<KubeObject> {
  const patch = {
    metadata: {
      resourceVersion: rs.metadata.resourceVersion,
      ownerReferences: owners.length > 0 ? owners : null,
    },
  };
  return run.deps.client.patch(REPLICASETS, run.namespace, nameOf(rs), 'merge', patch, {
    fieldManager: FIELD_MANAGER,
  });
}

async function adopt(run: SyncRun, rs: ReplicaSet): Promise<ReplicaSet | undefined> {
  const ref = newControllerRef(run.d, 'apps/v1', 'Deployment');
  try {
    const owners = [...(rs.metadata.ownerReferences ?? []), ref];
    return await patchOwners(run, rs, owners);
  } catch (err) {
    if (isNotFound(err)) {
      return undefined;
    }
    throw err;
  }
}

async function release(run: SyncRun, rs: ReplicaSet): Promise<void> {
  const owners = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== run.d.metadata.uid);
  try {
    await patchOwners(run, rs, owners);
  } catch (err) {
    // Gone, or no longer ours to change: nothing to release.
    if (!isNotFound(err) && !isInvalid(err)) {
      throw err;
    }
  }
}
