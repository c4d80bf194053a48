// attemptToDelete: classify an object's owners with live reads, then delete it when none is left,
// drop its dangling references when one is, and finish foreground deletions whose blocking
// dependents are gone (upstream garbagecollector.go attemptToDeleteItem and helpers).
import type { Logger } from 'pino';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { isNotFound } from '../../lib/errors.js';
import type { WorkQueue } from '../../lib/workqueue.js';
import type { SyncResult } from '../common/run-workers.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import { absentKey } from './absent-owner-cache.js';
import type { DependencyGraph, GraphNode } from './graph.js';
import {
  FINALIZER_DELETE_DEPENDENTS,
  FINALIZER_ORPHAN_DEPENDENTS,
  matchesCoordinates,
} from './graph.js';
import type { Operations, Propagation } from './operations.js';
import { identityString } from './operations.js';
import { unblocked, withoutOwners } from './patch.js';
import type { ResourceMapper } from './resources.js';
import { RestMappingError } from './resources.js';

/** How soon to look again at a dependent whose live owner the graph has not observed. */
export const UNOBSERVED_OWNER_RECHECK_MS = 60_000;

export interface AttemptToDeleteDeps {
  client: Client;
  log: Logger;
  graph: DependencyGraph;
  ops: Operations;
  mapper: ResourceMapper;
  absentOwners: AbsentOwnerCache;
  attemptToDelete: WorkQueue;
}

interface Classified {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waitingForDependentsDeletion: OwnerReference[];
}

/** A cluster-scoped object naming a namespaced owner: invalid, and retrying cannot help. */
class NamespacedOwnerOfClusterScopedObjectError extends Error {
  readonly code = 'GC_NAMESPACED_OWNER_OF_CLUSTER_SCOPED';
}

export class AttemptToDelete {
  constructor(private readonly deps: AttemptToDeleteDeps) {}

  /** The worker's sync for one uid; throws to be retried with backoff. */
  async sync(uid: string): Promise<SyncResult | void> {
    const item = this.deps.graph.get(uid);
    // Gone from the graph: the informer saw it deleted, and its dependents were queued then.
    if (!item) {
      return;
    }
    try {
      return await this.attemptToDeleteItem(item);
    } catch (e) {
      if (e instanceof NamespacedOwnerOfClusterScopedObjectError) {
        this.deps.log.debug({ item: item.identity }, e.message);
        return;
      }
      throw e;
    }
  }

  private async attemptToDeleteItem(item: GraphNode): Promise<SyncResult | void> {
    if (this.isSettledInGraph(item)) {
      return;
    }
    const latest = await this.deps.ops.getObject(item);
    if (!latest) {
      return; // The informer will report the deletion.
    }
    if (item.isDeletingDependents) {
      return this.processDeletingDependentsItem(item);
    }
    const refs = latest.metadata.ownerReferences ?? [];
    if (latest.metadata.deletionTimestamp || refs.length === 0) {
      return;
    }
    const classified = await this.classifyReferences(item, refs);
    if (classified.solid.length > 0) {
      return this.keepWithSolidOwners(item, classified);
    }
    await this.collect(item, latest, classified);
  }

  /** Nothing to do for item that the graph alone can tell. */
  private isSettledInGraph(item: GraphNode): boolean {
    if (item.isDeletingDependents) {
      return false;
    }
    // Being deleted is a one-way trip: its dependents are handled when it is gone.
    return item.isBeingDeleted || this.hasOnlySolidOwnersInGraph(item);
  }

  /** item has no solid owner left: delete it, in foreground if an owner waits on it. */
  private async collect(item: GraphNode, latest: KubeObject, classified: Classified) {
    const dependents = this.deps.graph.dependentsOf(item.identity.uid);
    if (classified.waitingForDependentsDeletion.length > 0 && dependents.length > 0) {
      let current = latest;
      // Both an owner and a dependent wait for their dependents: unblock to break a cycle.
      if (dependents.some((d) => d.isDeletingDependents)) {
        current = (await this.deps.ops.patchOwnerReferences(item, unblocked)) ?? latest;
      }
      this.deps.log.debug({ item: identityString(item) }, 'deleting item in foreground');
      await this.deps.ops.deleteObject(item, current, 'Foreground');
      return;
    }
    const policy = propagationFor(latest);
    this.deps.log.debug({ item: identityString(item), policy }, 'deleting item');
    await this.deps.ops.deleteObject(item, latest, policy);
  }

  /**
   * Upstream always asks the server; when the graph already shows every owner alive where the
   * reference says, there is nothing to delete, and any later deletion re-queues the item.
   */
  private hasOnlySolidOwnersInGraph(item: GraphNode): boolean {
    return item.owners.every((ref) => {
      const owner = this.deps.graph.get(ref.uid);
      return (
        !!owner &&
        !owner.isDeletingDependents &&
        matchesCoordinates(ref, owner.identity) &&
        (!owner.identity.namespace || owner.identity.namespace === item.identity.namespace)
      );
    });
  }

  private async keepWithSolidOwners(
    item: GraphNode,
    { solid, dangling, waitingForDependentsDeletion: waiting }: Classified,
  ): Promise<SyncResult | void> {
    if (dangling.length > 0 || waiting.length > 0) {
      // Waiting owners must lose the reference too, or their foreground deletion never ends.
      const uids = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.deps.log.debug(
        { item: identityString(item) },
        'removing dangling and waiting references',
      );
      await this.deps.ops.patchOwnerReferences(item, (refs) => withoutOwners(refs, uids));
    }
    // An owner outside the graph (a kind not watched) is only seen to go by looking again.
    if (solid.some((r) => !this.deps.graph.get(r.uid))) {
      return { requeueAfterMs: UNOBSERVED_OWNER_RECHECK_MS };
    }
  }

  /** An owner in foreground deletion: finalize it once no blocking dependent remains. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = this.deps.graph.blockingDependentsOf(item.identity.uid);
    if (blocking.length === 0) {
      this.deps.log.debug({ item: identityString(item) }, 'removing foregroundDeletion finalizer');
      await this.deps.ops.removeFinalizer(item, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) {
      if (!dep.isDeletingDependents) {
        this.deps.attemptToDelete.add(dep.identity.uid);
      }
    }
  }

  private async classifyReferences(item: GraphNode, refs: OwnerReference[]): Promise<Classified> {
    const out: Classified = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      const owner = await this.liveOwner(ref, item);
      if (!owner) {
        out.dangling.push(ref);
      } else if (
        owner.metadata.deletionTimestamp &&
        (owner.metadata.finalizers ?? []).includes(FINALIZER_DELETE_DEPENDENTS)
      ) {
        out.waitingForDependentsDeletion.push(ref);
      } else {
        out.solid.push(ref);
      }
    }
    return out;
  }

  /**
   * The owner ref names, read live where it must live (item's namespace, or cluster scope);
   * undefined when it is dangling: absent there, or a different object (upstream isDangling).
   */
  private async liveOwner(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const { absentOwners, mapper, client } = this.deps;
    const itemNamespace = item.identity.namespace;
    if (absentOwners.has(absentKey(ref, '')) || absentOwners.has(absentKey(ref, itemNamespace))) {
      return undefined;
    }
    const resource = mapper.resourceFor(ref.apiVersion, ref.kind);
    if (!resource) {
      throw new RestMappingError(ref.apiVersion, ref.kind);
    }
    if (!itemNamespace && resource.namespaced) {
      throw new NamespacedOwnerOfClusterScopedObjectError(
        'cluster-scoped objects cannot refer to namespaced owners',
      );
    }
    const namespace = resource.namespaced ? itemNamespace : '';
    const key = absentKey(ref, namespace);
    let owner: KubeObject;
    try {
      owner = await client.get(resource.ref, namespace, ref.name);
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
      absentOwners.add(key);
      return undefined;
    }
    if (owner.metadata.uid !== ref.uid) {
      absentOwners.add(key);
      return undefined;
    }
    return owner;
  }
}

/** No owner waits on it: honour a finalizer it already carries, else cascade in background. */
function propagationFor(latest: KubeObject): Propagation {
  const finalizers = latest.metadata.finalizers ?? [];
  if (finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS)) {
    return 'Orphan';
  }
  if (finalizers.includes(FINALIZER_DELETE_DEPENDENTS)) {
    return 'Foreground';
  }
  return 'Background';
}
