// The collector's writes through Client: get by identity, delete with uid and resourceVersion
// preconditions, ownerReferences and finalizer patches retried on conflict (upstream operations.go).
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { Client, DeleteOptions } from '../../client/client.js';
import { isConflict, isNotFound } from '../../lib/errors.js';
import type { GraphNode } from './graph.js';
import { ownerReferencesPatch, removeFinalizerPatch } from './patch.js';

export type Propagation = NonNullable<DeleteOptions['propagationPolicy']>;

/** Attempts of a read-modify-write before giving up to the queue's backoff (client-go's 5). */
const CONFLICT_RETRIES = 5;

export class Operations {
  constructor(private readonly client: Client) {}

  /** The live object behind node, or undefined when it is gone (404, or a new uid). */
  async getObject(node: GraphNode): Promise<KubeObject | undefined> {
    const { name, namespace, uid } = node.identity;
    try {
      const live = await this.client.get(node.resource.ref, namespace, name);
      return live.metadata.uid === uid ? live : undefined;
    } catch (e) {
      if (isNotFound(e)) {
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Deletes node if it is still the object that was classified at resourceVersion; a newer
   * version with the same ownerReferences is deleted anyway (upstream deleteObject).
   */
  async deleteObject(node: GraphNode, latest: KubeObject, policy: Propagation): Promise<void> {
    const { name, namespace, uid } = node.identity;
    const ref = node.resource.ref;
    const resourceVersion = latest.metadata.resourceVersion;
    try {
      await this.client.delete(ref, namespace, name, {
        propagationPolicy: policy,
        preconditions: { uid, ...(resourceVersion ? { resourceVersion } : {}) },
      });
      return;
    } catch (e) {
      if (isNotFound(e)) {
        return;
      }
      if (!isConflict(e) || !resourceVersion) {
        throw e;
      }
    }
    const live = await this.getObject(node);
    if (!live) {
      return;
    }
    if (!isDeepStrictEqual(live.metadata.ownerReferences ?? [], ownersOf(latest))) {
      throw new Error(
        `ownerReferences of ${identityString(node)} changed; it will be classified again`,
      );
    }
    await this.ignoreNotFound(
      this.client.delete(ref, namespace, name, {
        propagationPolicy: policy,
        preconditions: { uid },
      }),
    );
  }

  /**
   * Replaces node's ownerReferences with change(current) unless it returns undefined; retried
   * on conflict with a fresh read. Resolves with the patched object, or undefined when there
   * was nothing to change or the object is gone.
   */
  async patchOwnerReferences(
    node: GraphNode,
    change: (refs: OwnerReference[]) => OwnerReference[] | undefined,
  ): Promise<KubeObject | undefined> {
    return this.retryOnConflict(node, (live) => {
      const refs = change(ownersOf(live));
      return refs ? ownerReferencesPatch(live, refs) : undefined;
    });
  }

  /** Removes finalizer from node (upstream removeFinalizer); the API server may then delete it. */
  async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await this.retryOnConflict(node, (live) => removeFinalizerPatch(live, finalizer));
  }

  private async retryOnConflict(
    node: GraphNode,
    patchFor: (live: KubeObject) => unknown,
  ): Promise<KubeObject | undefined> {
    const { name, namespace } = node.identity;
    for (let attempt = 1; ; attempt++) {
      const live = await this.getObject(node);
      const patch = live ? patchFor(live) : undefined;
      if (patch === undefined) {
        return undefined;
      }
      try {
        return await this.client.patch(node.resource.ref, namespace, name, 'merge', patch);
      } catch (e) {
        if (isNotFound(e)) {
          return undefined;
        }
        if (!isConflict(e) || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
  }
}

function ownersOf(obj: KubeObject): OwnerReference[] {
  return obj.metadata.ownerReferences ?? [];
}

/** `[apps/v1/ReplicaSet, namespace: default, name: web-1, uid: ...]`, as upstream logs identities. */
export function identityString(node: GraphNode): string {
  const { apiVersion, kind, namespace, name, uid } = node.identity;
  return `[${apiVersion}/${kind}, namespace: ${namespace}, name: ${name}, uid: ${uid}]`;
}
