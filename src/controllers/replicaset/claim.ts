// Claiming pods for a ReplicaSet: adopt matching orphans, release owned pods that no longer match
// (upstream controller_ref_manager.go PodControllerRefManager, RecheckDeletionTimestamp).
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import { isInvalid, isNotFound } from '../../lib/errors.js';
import { controllerOf } from '../common/owner-refs.js';
import type { PodControl } from './pod-control.js';

export interface ClaimOptions {
  rs: ReplicaSet;
  selector: LabelSelectorMatcher;
  controllerRef: OwnerReference;
  podControl: PodControl;
  /** A live read of the ReplicaSet, made once before the first adoption. */
  getFresh: () => Promise<KubeObject>;
}

/** Several errors as one, worded like utilerrors.NewAggregate. */
export class ClaimPodsError extends Error {
  readonly code = 'CLAIM_PODS';
  constructor(readonly errors: unknown[]) {
    const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
    super(messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`);
  }
}

/** The pods rs owns after adopting and releasing; throws if any adoption or release failed. */
export async function claimPods(pods: KubeObject[], opts: ClaimOptions): Promise<KubeObject[]> {
  const claimed: KubeObject[] = [];
  const errors: unknown[] = [];
  let canAdopt: Promise<void> | undefined;
  const adopt = async (pod: KubeObject): Promise<void> => {
    canAdopt ??= recheckDeletion(opts);
    const { namespace, name, uid } = pod.metadata;
    try {
      await canAdopt;
    } catch (err) {
      throw new Error(`can't adopt Pod ${namespace}/${name} (${uid}): ${message(err)}`, {
        cause: err,
      });
    }
    await opts.podControl.patchPod(namespace ?? '', name ?? '', adoptPatch(pod, opts));
  };
  for (const pod of pods) {
    try {
      if (await claimOne(pod, opts, adopt)) {
        claimed.push(pod);
      }
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) {
    throw new ClaimPodsError(errors);
  }
  return claimed;
}

/** claimObject: true when rs owns pod afterwards. */
async function claimOne(
  pod: KubeObject,
  opts: ClaimOptions,
  adopt: (pod: KubeObject) => Promise<void>,
): Promise<boolean> {
  const { rs, selector } = opts;
  const ref = controllerOf(pod);
  const rsDeleting = rs.metadata.deletionTimestamp !== undefined;
  if (ref) {
    if (ref.uid !== rs.metadata.uid) {
      return false;
    }
    if (selector.matches(pod.metadata.labels)) {
      return true;
    }
    // Owned, but no longer selected: let it go, unless rs itself is going away.
    if (!rsDeleting) {
      await release(pod, opts);
    }
    return false;
  }
  if (rsDeleting || !selector.matches(pod.metadata.labels) || pod.metadata.deletionTimestamp) {
    return false;
  }
  try {
    await adopt(pod);
    return true;
  } catch (err) {
    if (isNotFound(err)) {
      return false;
    }
    throw err;
  }
}

async function release(pod: KubeObject, opts: ClaimOptions): Promise<void> {
  const patch = {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: opts.rs.metadata.uid }],
      uid: pod.metadata.uid,
    },
  };
  try {
    await opts.podControl.patchPod(m(pod).namespace, m(pod).name, patch);
  } catch (err) {
    // Gone, or recreated under the same name (uid mismatch): nothing left to release.
    if (!isNotFound(err) && !isInvalid(err)) {
      throw err;
    }
  }
}

function adoptPatch(pod: KubeObject, opts: ClaimOptions): object {
  return { metadata: { ownerReferences: [opts.controllerRef], uid: pod.metadata.uid } };
}

/** RecheckDeletionTimestamp: adopt only if a live read shows the same rs, not being deleted. */
async function recheckDeletion(opts: ClaimOptions): Promise<void> {
  const { namespace, name, uid } = opts.rs.metadata;
  let fresh: KubeObject;
  try {
    fresh = await opts.getFresh();
    if (fresh.metadata.uid !== uid) {
      throw new Error(
        `original ReplicaSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`,
      );
    }
  } catch (err) {
    throw new Error(`can't recheck DeletionTimestamp: ${message(err)}`, { cause: err });
  }
  const deleted = fresh.metadata.deletionTimestamp;
  if (deleted) {
    throw new Error(`${namespace}/${name} has just been deleted at ${goTime(deleted)}`);
  }
}

/** A timestamp the way Go's time.Time prints with %v, in UTC. */
export function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const [date, rest] = d.toISOString().split('T') as [string, string];
  const [clock, millis] = rest.replace('Z', '').split('.') as [string, string];
  const frac = millis.replace(/0+$/, '');
  return `${date} ${clock}${frac ? '.' + frac : ''} +0000 UTC`;
}

function m(pod: KubeObject): { namespace: string; name: string } {
  return { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
