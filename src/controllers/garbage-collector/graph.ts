// The dependency graph: uid -> node for every observed object, and an index from an owner's uid
// to the uids of the objects that name it, whether or not the owner was ever observed
// (port of upstream pkg/controller/garbagecollector/graph.go).
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import { parseApiVersion } from '../../apis/meta.js';
import type { ServerResource } from '../../client/client.js';

export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';

/** Who an object is: what an ownerReference names, plus its namespace ('' if cluster-scoped). */
export interface ObjectIdentity {
  uid: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** One observed object. Nodes are replaced, never edited, so a worker's copy stays consistent. */
export interface GraphNode {
  identity: ObjectIdentity;
  resource: ServerResource;
  owners: OwnerReference[];
  /** deletionTimestamp is set: a one-way trip to removal. */
  isBeingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  isDeletingDependents: boolean;
  /** Being deleted with the orphan finalizer: its dependents lose their reference to it. */
  isOrphaningDependents: boolean;
}

export interface ChangedReference {
  oldRef: OwnerReference;
  newRef: OwnerReference;
}

export interface ReferencesDiff {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: ChangedReference[];
}

/** The node for obj as served by resource. */
export function nodeFor(resource: ServerResource, obj: KubeObject): GraphNode {
  const meta = obj.metadata;
  const finalizers = meta.finalizers ?? [];
  const isBeingDeleted = !!meta.deletionTimestamp;
  const { group, version } = resource.ref;
  return {
    identity: {
      uid: meta.uid ?? '',
      apiVersion: group ? `${group}/${version}` : version,
      kind: resource.kind,
      name: meta.name ?? '',
      namespace: meta.namespace ?? '',
    },
    resource,
    owners: meta.ownerReferences ?? [],
    isBeingDeleted,
    isDeletingDependents: isBeingDeleted && finalizers.includes(FINALIZER_DELETE_DEPENDENTS),
    isOrphaningDependents: isBeingDeleted && finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS),
  };
}

/** Owner references added, removed and changed between two versions of an object, by uid. */
export function referencesDiff(
  oldRefs: readonly OwnerReference[],
  newRefs: readonly OwnerReference[],
): ReferencesDiff {
  const before = new Map(oldRefs.map((r) => [r.uid, r]));
  const diff: ReferencesDiff = { added: [], removed: [], changed: [] };
  for (const ref of newRefs) {
    const old = before.get(ref.uid);
    if (!old) {
      diff.added.push(ref);
      continue;
    }
    before.delete(ref.uid);
    if (!sameReference(old, ref)) {
      diff.changed.push({ oldRef: old, newRef: ref });
    }
  }
  diff.removed.push(...before.values());
  return diff;
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    !!a.controller === !!b.controller &&
    !!a.blockOwnerDeletion === !!b.blockOwnerDeletion
  );
}

/**
 * Whether ref names the observed owner by the same group, kind and name. The version may differ:
 * one object is served in several versions.
 */
export function matchesCoordinates(ref: OwnerReference, owner: ObjectIdentity): boolean {
  return (
    ref.uid === owner.uid &&
    ref.name === owner.name &&
    ref.kind === owner.kind &&
    parseApiVersion(ref.apiVersion).group === parseApiVersion(owner.apiVersion).group
  );
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner uid -> dependent uids; kept while any dependent names the owner. */
  private readonly dependents = new Map<string, Set<string>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Inserts or replaces a node; returns how its owner references changed. */
  set(node: GraphNode): ReferencesDiff {
    const uid = node.identity.uid;
    const previous = this.nodes.get(uid);
    const diff = referencesDiff(previous?.owners ?? [], node.owners);
    this.nodes.set(uid, node);
    for (const ref of diff.removed) {
      this.unindex(ref.uid, uid);
    }
    for (const ref of diff.added) {
      let set = this.dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.dependents.set(ref.uid, set);
      }
      set.add(uid);
    }
    return diff;
  }

  /** Removes the node; its own dependents stay indexed under its uid (they still name it). */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) {
      return undefined;
    }
    this.nodes.delete(uid);
    for (const ref of node.owners) {
      this.unindex(ref.uid, uid);
    }
    return node;
  }

  /** The observed objects whose ownerReferences name uid. */
  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents.get(uid) ?? []) {
      const node = this.nodes.get(dep);
      if (node) {
        out.push(node);
      }
    }
    return out;
  }

  /** Dependents whose reference to uid has blockOwnerDeletion: they hold a foreground delete. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((dep) =>
      dep.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true),
    );
  }

  private unindex(ownerUid: string, dependentUid: string): void {
    const set = this.dependents.get(ownerUid);
    if (set) {
      set.delete(dependentUid);
      if (set.size === 0) {
        this.dependents.delete(ownerUid);
      }
    }
  }
}
