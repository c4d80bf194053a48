// The graph builder: one informer per deletable resource feeds the dependency graph, and each
// change that may strand a dependent or free an owner queues uids for the collector's workers
// (port of upstream pkg/controller/garbagecollector/graph_builder.go).
import type { Logger } from 'pino';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { Client, ServerResource } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Informer } from '../../client/informer.js';
import type { EventHandler } from '../../client/informer.js';
import type { WorkQueue } from '../../lib/workqueue.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import { absentKey } from './absent-owner-cache.js';
import type { DependencyGraph, GraphNode, ObjectIdentity, ReferencesDiff } from './graph.js';
import { matchesCoordinates, nodeFor } from './graph.js';

export interface GraphBuilderDeps {
  client: Client;
  log: Logger;
  graph: DependencyGraph;
  absentOwners: AbsentOwnerCache;
  recorder: EventRecorder;
  /** Keys are uids of objects to classify (and maybe delete), or of owners to finalize. */
  attemptToDelete: WorkQueue;
  /** Keys are uids of owners being deleted with the orphan finalizer. */
  attemptToOrphan: WorkQueue;
}

export class GraphBuilder {
  private readonly monitors: Informer[] = [];

  constructor(private readonly deps: GraphBuilderDeps) {}

  /** Starts one informer per resource; resolves once they have all stopped (signal aborted). */
  async runMonitors(resources: readonly ServerResource[], signal: AbortSignal): Promise<void> {
    for (const resource of resources) {
      const informer = new Informer(this.deps.client, resource.ref);
      informer.addEventHandler(this.handlerFor(resource));
      this.monitors.push(informer);
    }
    await Promise.all(this.monitors.map((m) => m.start(signal)));
  }

  /** True once every monitor has listed; false if signal aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) {
      return false;
    }
    const aborted = new Promise<boolean>((resolve) =>
      signal.addEventListener('abort', () => resolve(false), { once: true }),
    );
    const synced = Promise.all(this.monitors.map((m) => m.waitForSync())).then(() => true);
    return Promise.race([synced, aborted]);
  }

  // JavaScript runs one handler at a time, so applying each change here is upstream's single
  // processGraphChanges goroutine without its queue: the graph has exactly one writer.
  private handlerFor(resource: ServerResource): EventHandler {
    return {
      onAdd: (obj) => this.observe(resource, obj),
      onUpdate: (old, obj) => {
        // A re-list can replace an object by a new one of the same name.
        if (old.metadata.uid !== obj.metadata.uid) {
          this.forget(old);
        }
        this.observe(resource, obj);
      },
      onDelete: (obj) => this.forget(obj),
    };
  }

  private observe(resource: ServerResource, obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) {
      return;
    }
    const { graph } = this.deps;
    const previous = graph.get(uid);
    const node = nodeFor(resource, obj);
    const diff = graph.set(node);
    if (!previous) {
      this.checkDependentsOf(node.identity);
    }
    this.enqueueUnblockedOwners(diff);
    this.checkOwners(node, diff.added);
    this.processTransitions(previous, node);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const { graph, attemptToDelete } = this.deps;
    const node = graph.remove(uid);
    if (!node) {
      return;
    }
    const dependents = graph.dependentsOf(uid);
    if (dependents.length > 0) {
      this.deps.absentOwners.add(absentKey(node.identity, node.identity.namespace));
    }
    for (const dep of dependents) {
      attemptToDelete.add(dep.identity.uid);
    }
    // An owner waiting in foreground deletion may have just lost its last blocking dependent.
    for (const ref of node.owners) {
      if (graph.get(ref.uid)?.isDeletingDependents) {
        attemptToDelete.add(ref.uid);
      }
    }
  }

  /**
   * A newly observed owner: dependents seen earlier that name it by other coordinates, or from
   * another namespace, must have their references verified (upstream's bad child, good parent).
   */
  private checkDependentsOf(owner: ObjectIdentity): void {
    for (const dep of this.deps.graph.dependentsOf(owner.uid)) {
      const ref = dep.owners.find((r) => r.uid === owner.uid);
      if (!ref) {
        continue;
      }
      const isOtherNamespace = !!owner.namespace && owner.namespace !== dep.identity.namespace;
      if (isOtherNamespace) {
        this.reportInvalidNamespaceOwnerRef(dep, ref);
      }
      if (isOtherNamespace || !matchesCoordinates(ref, owner)) {
        this.deps.attemptToDelete.add(dep.identity.uid);
      }
    }
  }

  /**
   * New references of node: one to an owner not in the graph, in another namespace, or by other
   * coordinates may be dangling, so node is queued to verify them with live reads.
   */
  private checkOwners(node: GraphNode, added: readonly OwnerReference[]): void {
    let shouldVerify = false;
    for (const ref of added) {
      const owner = this.deps.graph.get(ref.uid)?.identity;
      if (!owner) {
        shouldVerify = true;
      } else if (owner.namespace && owner.namespace !== node.identity.namespace) {
        this.reportInvalidNamespaceOwnerRef(node, ref);
        shouldVerify = true;
      } else if (!matchesCoordinates(ref, owner)) {
        shouldVerify = true;
      }
    }
    if (shouldVerify) {
      this.deps.attemptToDelete.add(node.identity.uid);
    }
  }

  /** A blocking reference removed or made non-blocking may release a foreground delete. */
  private enqueueUnblockedOwners(diff: ReferencesDiff): void {
    const released = [
      ...diff.removed.filter((r) => r.blockOwnerDeletion === true),
      ...diff.changed
        .filter((c) => c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true)
        .map((c) => c.newRef),
    ];
    for (const ref of released) {
      if (this.deps.graph.get(ref.uid)?.isDeletingDependents) {
        this.deps.attemptToDelete.add(ref.uid);
      }
    }
  }

  /** Deletion with the orphan or foregroundDeletion finalizer starts work on the dependents. */
  private processTransitions(previous: GraphNode | undefined, node: GraphNode): void {
    const uid = node.identity.uid;
    if (node.isOrphaningDependents && !previous?.isOrphaningDependents) {
      this.deps.attemptToOrphan.add(uid);
      return;
    }
    if (node.isDeletingDependents && !previous?.isDeletingDependents) {
      for (const dep of this.deps.graph.dependentsOf(uid)) {
        this.deps.attemptToDelete.add(dep.identity.uid);
      }
      this.deps.attemptToDelete.add(uid);
    }
  }

  private reportInvalidNamespaceOwnerRef(dependent: GraphNode, ref: OwnerReference): void {
    const { apiVersion, kind, name, namespace, uid } = dependent.identity;
    this.deps.log.info(
      { item: dependent.identity, owner: ref },
      'item references an owner but does not match namespaces',
    );
    this.deps.recorder.event(
      { apiVersion, kind, metadata: { name, uid, ...(namespace ? { namespace } : {}) } },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${namespace}, name: ${ref.name}, ` +
        `uid: ${ref.uid}] does not exist in namespace ${JSON.stringify(namespace)}`,
    );
  }
}
