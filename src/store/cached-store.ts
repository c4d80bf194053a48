// The Store implementation: all current objects and a window of recent events in memory (the
// apiserver's watch cache), with every write made durable by a backend before it is visible.
import type { KubeObject } from '../apis/meta.js';
import { StoreError } from './store.js';
import type { Store, StoreEntry, StoreEvent, StoreWatch } from './store.js';

/** Durable persistence under the cache. Every method is synchronous. */
export interface StoreBackend {
  load(): { entries: StoreEntry[]; revision: number; compactedRevision: number };
  /** Persists one write; must be durable when it returns. */
  append(event: StoreEvent): void;
  /** Events under prefix in (fromRevision, toRevision], or undefined if not retained. */
  history(prefix: string, fromRevision: number, toRevision: number): StoreEvent[] | undefined;
  compact(revision: number): void;
  close(): void;
}

interface Watcher {
  prefix: string;
  listener: (event: StoreEvent) => void;
}

export interface CachedStoreOptions {
  /** Events kept in memory for fast watch resume. */
  windowSize?: number;
}

export class CachedStore implements Store {
  private readonly entries = new Map<string, StoreEntry>();
  private readonly window: StoreEvent[] = [];
  private readonly windowSize: number;
  private readonly watchers = new Set<Watcher>();
  private currentRevision: number;
  private compacted: number;
  private closed = false;

  constructor(
    private readonly backend: StoreBackend,
    options: CachedStoreOptions = {},
  ) {
    this.windowSize = options.windowSize ?? 5_000;
    const loaded = backend.load();
    for (const entry of loaded.entries) {
      this.entries.set(entry.key, entry);
    }
    this.currentRevision = loaded.revision;
    this.compacted = loaded.compactedRevision;
  }

  get revision(): number {
    return this.currentRevision;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  get(key: string): StoreEntry | undefined {
    return this.entries.get(key);
  }

  list(prefix: string): { items: StoreEntry[]; revision: number } {
    const items: StoreEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.key.startsWith(prefix)) {
        items.push(entry);
      }
    }
    items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items, revision: this.currentRevision };
  }

  count(prefix: string): number {
    let n = 0;
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  create(key: string, object: KubeObject): KubeObject {
    if (this.entries.has(key)) {
      throw new StoreError('AlreadyExists', key, `key ${key} already exists`);
    }
    return this.commit('ADDED', key, object, undefined);
  }

  update(key: string, object: KubeObject, expectedRevision?: number): KubeObject {
    const current = this.mustGet(key, expectedRevision);
    return this.commit('MODIFIED', key, object, current.object);
  }

  delete(key: string, expectedRevision?: number): KubeObject {
    const current = this.mustGet(key, expectedRevision);
    return this.commit('DELETED', key, current.object, current.object);
  }

  watch(prefix: string, fromRevision: number, listener: (event: StoreEvent) => void): StoreWatch {
    if (fromRevision < this.compacted) {
      throw new StoreError(
        'Gone',
        prefix,
        `too old resource version: ${fromRevision} (${this.compacted})`,
      );
    }
    const backlog = this.backlog(prefix, fromRevision);
    const watcher: Watcher = { prefix, listener };
    for (const event of backlog) {
      listener(event);
    }
    this.watchers.add(watcher);
    return { cancel: () => this.watchers.delete(watcher) };
  }

  compact(revision: number): void {
    const target = Math.min(revision, this.currentRevision);
    if (target <= this.compacted) {
      return;
    }
    this.backend.compact(target);
    this.compacted = target;
    const firstKept = this.window.findIndex((e) => e.revision > target);
    this.window.splice(0, firstKept < 0 ? this.window.length : firstKept);
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.watchers.clear();
      this.backend.close();
    }
  }

  private mustGet(key: string, expectedRevision: number | undefined): StoreEntry {
    const current = this.entries.get(key);
    if (!current) {
      throw new StoreError('NotFound', key, `key ${key} not found`);
    }
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      throw new StoreError('Conflict', key, `key ${key} is at revision ${current.revision}`);
    }
    return current;
  }

  private commit(
    type: StoreEvent['type'],
    key: string,
    object: KubeObject,
    prevObject: KubeObject | undefined,
  ): KubeObject {
    if (this.closed) {
      throw new Error('store is closed');
    }
    const revision = this.currentRevision + 1;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(revision) },
    };
    const event: StoreEvent = { type, key, object: stored, revision };
    if (prevObject) {
      event.prevObject = prevObject;
    }
    // Durable first: if the backend throws, memory is untouched and nothing was acknowledged.
    this.backend.append(event);
    this.currentRevision = revision;
    if (type === 'DELETED') {
      this.entries.delete(key);
    } else {
      this.entries.set(key, { key, object: stored, revision });
    }
    this.remember(event);
    this.dispatch(event);
    return stored;
  }

  private remember(event: StoreEvent): void {
    this.window.push(event);
    if (this.window.length > this.windowSize) {
      this.window.splice(0, this.window.length - this.windowSize);
    }
  }

  private dispatch(event: StoreEvent): void {
    for (const watcher of this.watchers) {
      if (event.key.startsWith(watcher.prefix)) {
        watcher.listener(event);
      }
    }
  }

  private backlog(prefix: string, fromRevision: number): StoreEvent[] {
    if (fromRevision >= this.currentRevision) {
      return [];
    }
    const oldestInWindow = this.window[0]?.revision ?? this.currentRevision + 1;
    if (fromRevision + 1 >= oldestInWindow) {
      return this.window.filter((e) => e.revision > fromRevision && e.key.startsWith(prefix));
    }
    const older = this.backend.history(prefix, fromRevision, oldestInWindow - 1);
    if (!older) {
      throw new StoreError(
        'Gone',
        prefix,
        `too old resource version: ${fromRevision} (${oldestInWindow - 1})`,
      );
    }
    const recent = this.window.filter((e) => e.key.startsWith(prefix));
    return [...older, ...recent];
  }
}
