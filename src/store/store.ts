// The Store contract: durable key/value state with one global revision (the resourceVersion),
// compare-and-swap writes and watches that resume from any retained revision.
import type { KubeObject } from '../apis/meta.js';

export interface StoreEntry {
  key: string;
  object: KubeObject;
  /** Revision of the last write to this key (the object's resourceVersion). */
  revision: number;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  key: string;
  /** The new state; for DELETED, the last state with the delete's revision. */
  object: KubeObject;
  /** The state before this write (absent for ADDED); watch filters need it. */
  prevObject?: KubeObject;
  revision: number;
}

export interface StoreWatch {
  cancel(): void;
}

export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone';

/** A store-level failure; api/ maps it to an ApiError naming the resource. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly key: string;
  constructor(code: StoreErrorCode, key: string, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.key = key;
  }
}

/**
 * Objects handed out by a Store are shared and must never be mutated: clone before changing.
 * Writes set `metadata.resourceVersion` to the new revision and are durable before returning.
 */
export interface Store {
  /** The revision of the newest write. */
  readonly revision: number;
  /** Watches from revisions older than this answer Gone (410). */
  readonly compactedRevision: number;
  get(key: string): StoreEntry | undefined;
  /** Every entry whose key starts with prefix, sorted by key, and the revision it reflects. */
  list(prefix: string): { items: StoreEntry[]; revision: number };
  count(prefix: string): number;
  create(key: string, object: KubeObject): KubeObject;
  /** Replaces the object; with expectedRevision, fails with Conflict unless it matches. */
  update(key: string, object: KubeObject, expectedRevision?: number): KubeObject;
  delete(key: string, expectedRevision?: number): KubeObject;
  /**
   * Calls listener for every event on keys under prefix with revision > fromRevision, first the
   * retained history, then live events, in revision order. Throws Gone when fromRevision was
   * compacted away. Listener calls are synchronous; keep them cheap.
   */
  watch(prefix: string, fromRevision: number, listener: (event: StoreEvent) => void): StoreWatch;
  /** Forgets history older than revision. */
  compact(revision: number): void;
  close(): void;
}
