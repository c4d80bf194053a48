// What this controller last wrote to each Service's slices, so a sync that runs before the
// informer has seen those writes waits instead of writing again (upstream
// k8s.io/endpointslice/util endpointslice_tracker.go, keyed by resourceVersion: kubeproc's
// EndpointSlices carry no generation).
import type { EndpointSlice } from './types.js';

type Expectation =
  { kind: 'written'; rv: string; replaced: string | undefined } | { kind: 'deleted' };

export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, Expectation>>();

  private forService(serviceKey: string): Map<string, Expectation> {
    let m = this.byService.get(serviceKey);
    if (!m) {
      m = new Map();
      this.byService.set(serviceKey, m);
    }
    return m;
  }

  /** We created (replaced undefined) or updated a slice and got `written` back. */
  written(serviceKey: string, written: EndpointSlice, replaced?: string): void {
    this.forService(serviceKey).set(written.metadata.name ?? '', {
      kind: 'written',
      rv: written.metadata.resourceVersion ?? '',
      replaced,
    });
  }

  /** We deleted the slice. */
  deleted(serviceKey: string, name: string): void {
    this.forService(serviceKey).set(name, { kind: 'deleted' });
  }

  /** Whether this cached version is exactly what we wrote (our own echo). */
  isOwnWrite(serviceKey: string, slice: EndpointSlice): boolean {
    const e = this.byService.get(serviceKey)?.get(slice.metadata.name ?? '');
    return e?.kind === 'written' && e.rv === slice.metadata.resourceVersion;
  }

  /** The informer saw the slice go: whatever we expected of it is settled. */
  sliceGone(serviceKey: string, name: string): void {
    this.byService.get(serviceKey)?.delete(name);
  }

  /** True while the cache lacks one of our writes; settled expectations are dropped. */
  isStale(serviceKey: string, cached: EndpointSlice[]): boolean {
    const expected = this.byService.get(serviceKey);
    if (!expected) {
      return false;
    }
    const byName = new Map(cached.map((s) => [s.metadata.name ?? '', s]));
    let stale = false;
    for (const [name, e] of expected) {
      const seen = byName.get(name);
      const waiting =
        e.kind === 'deleted'
          ? seen !== undefined
          : seen === undefined ||
            (e.replaced !== undefined && seen.metadata.resourceVersion === e.replaced);
      if (waiting) {
        stale = true;
      } else {
        expected.delete(name);
      }
    }
    if (expected.size === 0) {
      this.byService.delete(serviceKey);
    }
    return stale;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
