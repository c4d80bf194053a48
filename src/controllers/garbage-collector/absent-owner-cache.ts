// Owners verified absent, so a thousand dependents of one deleted owner cost one lookup
// (upstream pkg/controller/garbagecollector/uid_cache.go, a small LRU of references).
import type { OwnerReference } from '../../apis/meta.js';

const DEFAULT_CAPACITY = 500;

export type Coordinates = Pick<OwnerReference, 'uid' | 'apiVersion' | 'kind' | 'name'>;

/**
 * An owner known absent at these coordinates in namespace ('' when cluster-scoped). The namespace
 * is part of the key: a reference from elsewhere to the same uid must still be judged on its own.
 */
export function absentKey(ref: Coordinates, namespace: string): string {
  return [ref.uid, namespace, ref.apiVersion, ref.kind, ref.name].join('\u0000');
}

export class AbsentOwnerCache {
  // A Set iterates in insertion order: re-inserting on hit makes the first key the coldest.
  private readonly entries = new Set<string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  has(key: string): boolean {
    if (!this.entries.has(key)) {
      return false;
    }
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }

  add(key: string): void {
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.capacity) {
      const coldest = this.entries.values().next().value;
      if (coldest !== undefined) {
        this.entries.delete(coldest);
      }
    }
  }
}
