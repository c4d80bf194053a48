// WATCH: initial state (rv unset or 0) or history after rv, then live events, filtered by
// selectors with upstream's ADDED/DELETED translation when an object enters or leaves the selection.
import type { KubeObject, WatchEvent } from '../../apis/meta.js';
import { badRequest } from '../../lib/errors.js';
import type { StoreEvent } from '../../store/store.js';
import { StoreError } from '../../store/store.js';
import type { Scope } from './context.js';
import { listPrefix } from './keys.js';
import type { ResourceService } from './resource-service.js';
import { compileSelection } from './selection.js';
import type { ObjectPredicate } from './selection.js';

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchHandle {
  cancel(): void;
  /** True when the watch ended at once (an ERROR event was sent). */
  ended: boolean;
}

/** Checks selectors and resourceVersion up front, so a bad watch fails before streaming starts. */
export function validateWatchOptions(scope: Scope, opts: WatchOptions): void {
  compileSelection(scope.rt, opts.labelSelector, opts.fieldSelector);
  const rv = opts.resourceVersion ?? '';
  if (rv !== '' && !/^\d+$/.test(rv)) {
    throw badRequest(`invalid resource version "${rv}"`);
  }
}

/** Starts a watch; events (storage-version objects) go to sink synchronously, in revision order. */
export function watchObjects(
  svc: ResourceService,
  scope: Scope,
  opts: WatchOptions,
  sink: (event: WatchEvent) => void,
): WatchHandle {
  const predicate = compileSelection(scope.rt, opts.labelSelector, opts.fieldSelector);
  const { store } = svc.deps;
  const prefix = listPrefix(scope.rt, scope.namespace);
  const rvText = opts.resourceVersion ?? '';
  let from: number;
  if (rvText === '' || rvText === '0') {
    const { items, revision } = store.list(prefix);
    for (const entry of items) {
      if (!predicate || predicate(entry.object)) {
        sink({ type: 'ADDED', object: entry.object });
      }
    }
    from = revision;
  } else {
    from = Number(rvText);
    if (!Number.isInteger(from) || from < 0) {
      throw badRequest(`invalid resource version "${rvText}"`);
    }
  }
  const onEvent = (e: StoreEvent): void => {
    const translated = translate(e, predicate);
    if (translated) {
      sink({ type: translated.type, object: translated.object });
    }
  };
  try {
    const w = store.watch(prefix, from, onEvent);
    return { cancel: () => w.cancel(), ended: false };
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Gone') {
      // Upstream answers 200 with one ERROR event; kubectl prints it and informers re-list.
      sink({
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${from} (${store.compactedRevision})`,
          reason: 'Expired',
          code: 410,
        },
      });
      return { cancel: () => {}, ended: true };
    }
    throw e;
  }
}

function translate(
  e: StoreEvent,
  predicate: ObjectPredicate | undefined,
): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject } | undefined {
  if (!predicate) {
    return { type: e.type, object: e.object };
  }
  const now = e.type !== 'DELETED' && predicate(e.object);
  const before = e.prevObject ? predicate(e.prevObject) : false;
  if (e.type === 'DELETED') {
    return predicate(e.object) ? { type: 'DELETED', object: e.object } : undefined;
  }
  if (now && before) {
    return { type: 'MODIFIED', object: e.object };
  }
  if (now) {
    return { type: 'ADDED', object: e.object };
  }
  if (before) {
    // Left the selection: watchers see it as deleted, with its new state.
    return { type: 'DELETED', object: e.object };
  }
  return undefined;
}
