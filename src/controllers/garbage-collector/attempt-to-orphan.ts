// attemptToOrphan: an owner deleted with the orphan finalizer has its ownerReference removed from
// every dependent, then loses the finalizer (upstream garbagecollector.go attemptToOrphanWorker).
import type { DependencyGraph, GraphNode } from './graph.js';
import { FINALIZER_ORPHAN_DEPENDENTS } from './graph.js';
import type { Operations } from './operations.js';
import { identityString } from './operations.js';
import { withoutOwners } from './patch.js';

/** Dependents patched at once; upstream runs one goroutine each, we bound it. */
const ORPHAN_CONCURRENCY = 16;

export interface AttemptToOrphanDeps {
  graph: DependencyGraph;
  ops: Operations;
}

/** The worker's sync for one owner uid; throws (to be retried) if any dependent failed. */
export async function attemptToOrphan(deps: AttemptToOrphanDeps, uid: string): Promise<void> {
  const owner = deps.graph.get(uid);
  if (!owner?.isOrphaningDependents) {
    return;
  }
  const uids = new Set([uid]);
  const failures = await forEachLimit(deps.graph.dependentsOf(uid), async (dep) => {
    await deps.ops.patchOwnerReferences(dep, (refs) => withoutOwners(refs, uids));
  });
  if (failures.length > 0) {
    const detail = failures.map((f) => `${identityString(f.item)}: ${String(f.error)}`).join('; ');
    throw new Error(`failed to orphan dependents of owner ${identityString(owner)}: ${detail}`, {
      cause: failures[0]?.error,
    });
  }
  await deps.ops.removeFinalizer(owner, FINALIZER_ORPHAN_DEPENDENTS);
}

async function forEachLimit(
  items: GraphNode[],
  fn: (item: GraphNode) => Promise<void>,
): Promise<{ item: GraphNode; error: unknown }[]> {
  const failures: { item: GraphNode; error: unknown }[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i] as GraphNode;
      try {
        await fn(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ORPHAN_CONCURRENCY, items.length) }, lane));
  return failures;
}
