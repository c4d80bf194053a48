// Store construction: SQLite in a data dir for kubeproc, memory for tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CachedStore } from './cached-store.js';
import type { CachedStoreOptions } from './cached-store.js';
import { MemoryBackend } from './memory-backend.js';
import { SqliteBackend } from './sqlite-backend.js';
import type { Store } from './store.js';

export type { Store, StoreEntry, StoreEvent, StoreWatch } from './store.js';
export { StoreError } from './store.js';

/** Opens (creating if needed) the durable store in dataDir. */
export function openSqliteStore(dataDir: string, options?: CachedStoreOptions): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return new CachedStore(new SqliteBackend(join(dataDir, 'state.db')), options);
}

export function openMemoryStore(options?: CachedStoreOptions): Store {
  return new CachedStore(new MemoryBackend(), options);
}
