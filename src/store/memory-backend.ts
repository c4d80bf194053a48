// A backend that persists nothing: for tests and for the fake-runtime simulations.
import type { StoreBackend } from './cached-store.js';

export class MemoryBackend implements StoreBackend {
  load(): ReturnType<StoreBackend['load']> {
    return { entries: [], revision: 0, compactedRevision: 0 };
  }
  append(): void {}
  /** Only the in-memory window is retained. */
  history(): undefined {
    return undefined;
  }
  compact(): void {}
  close(): void {}
}
