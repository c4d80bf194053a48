// The patches the collector sends: whole ownerReferences and finalizers lists guarded by a
// resourceVersion precondition, as upstream's JSON merge patch fallback (patch.go) does.
import type { KubeObject, OwnerReference } from '../../apis/meta.js';

/** refs without those naming uids; undefined when none does (nothing to patch). */
export function withoutOwners(
  refs: readonly OwnerReference[],
  uids: ReadonlySet<string>,
): OwnerReference[] | undefined {
  const kept = refs.filter((r) => !uids.has(r.uid));
  return kept.length === refs.length ? undefined : kept;
}

/** refs with every blockOwnerDeletion=true turned false; undefined when none blocks. */
export function unblocked(refs: readonly OwnerReference[]): OwnerReference[] | undefined {
  if (!refs.some((r) => r.blockOwnerDeletion === true)) {
    return undefined;
  }
  return refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
}

/** A merge patch replacing obj's ownerReferences, valid only at obj's resourceVersion. */
export function ownerReferencesPatch(obj: KubeObject, refs: readonly OwnerReference[]): unknown {
  return {
    metadata: {
      resourceVersion: obj.metadata.resourceVersion,
      ownerReferences: refs.length > 0 ? refs : null,
    },
  };
}

/** A merge patch dropping finalizer from obj, valid only at its resourceVersion; undefined if absent. */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): unknown {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) {
    return undefined;
  }
  const rest = finalizers.filter((f) => f !== finalizer);
  return {
    metadata: {
      resourceVersion: obj.metadata.resourceVersion,
      finalizers: rest.length > 0 ? rest : null,
    },
  };
}
