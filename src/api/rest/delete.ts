// DELETE and deletecollection: preconditions, finalizers for foreground/orphan propagation,
// graceful deletion of pods, and the Status or object Kubernetes answers with.
import type { KubeObject } from '../../apis/meta.js';
import { formatTime } from '../../apis/meta.js';
import type { Status } from '../../lib/errors.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { IMMORTAL_NAMESPACES } from '../admission/namespace-lifecycle.js';
import type { Scope, WriteOptions } from './context.js';
import { fromStorage } from './convert.js';
import { objectKey } from './keys.js';
import type { ListOptions, ResourceService } from './resource-service.js';
import { storeErrorToApi } from './resource-service.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export type DeleteResult =
  { object: KubeObject; status?: undefined } | { status: Status; object?: undefined };

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

/** Deletes one object as Kubernetes does; returns the object when it lingers (finalizers, grace). */
export function deleteObject(
  svc: ResourceService,
  scope: Scope,
  name: string,
  options: DeleteOptions,
  opts: WriteOptions,
): DeleteResult {
  const { rt } = scope;
  const current = svc.getStored(scope, name);
  if (rt.group === '' && rt.kind === 'Namespace' && IMMORTAL_NAMESPACES.has(name)) {
    throw new ApiError(
      403,
      'Forbidden',
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      {
        name,
        kind: 'namespaces',
      },
    );
  }
  checkPreconditions(scope, name, current, options);
  const next = structuredClone(current);
  const finalizers = finalizersFor(next, options);
  const graceSeconds = gracePeriod(scope, next, options);
  const isNamespace = rt.kind === 'Namespace' && rt.group === '';
  const namespaceFinalizers = isNamespace
    ? ((next.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])
    : [];
  const lingers = finalizers.length > 0 || graceSeconds > 0 || namespaceFinalizers.length > 0;
  if (lingers) {
    const now = svc.deps.now();
    const meta = next.metadata;
    meta.finalizers = finalizers;
    if (finalizers.length === 0) {
      delete meta.finalizers;
    }
    if (!meta.deletionTimestamp) {
      meta.deletionTimestamp = formatTime(new Date(now.getTime() + graceSeconds * 1000));
      meta.deletionGracePeriodSeconds = graceSeconds;
    } else if (graceSeconds < (meta.deletionGracePeriodSeconds ?? Infinity)) {
      // A shorter grace period may replace a longer one, never the reverse.
      meta.deletionTimestamp = formatTime(new Date(now.getTime() + graceSeconds * 1000));
      meta.deletionGracePeriodSeconds = graceSeconds;
    }
    if (isNamespace) {
      next.status = { ...(next.status as object | undefined), phase: 'Terminating' };
    }
    const object = svc.replaceStored(scope, current, next, { ...opts, subresource: 'delete' });
    return { object };
  }
  if (opts.dryRun) {
    return result(scope, current);
  }
  try {
    const removed = svc.deps.store.delete(
      objectKey(rt, scope.namespace, name),
      Number(current.metadata.resourceVersion),
    );
    svc.deps.onCommitted?.(rt, removed, 'DELETE');
    return result(scope, removed);
  } catch (e) {
    throw storeErrorToApi(e, scope, name);
  }
}

/** Deletes every object the list options select; returns the deleted objects as a list. */
export function deleteCollection(
  svc: ResourceService,
  scope: Scope,
  listOptions: ListOptions,
  options: DeleteOptions,
  opts: WriteOptions,
): KubeObject[] {
  const list = svc.list(scope, { ...listOptions, limit: 0 });
  const deleted: KubeObject[] = [];
  for (const item of list.items) {
    const ns = item.metadata.namespace ?? scope.namespace;
    const res = deleteObject(
      svc,
      { ...scope, namespace: ns },
      item.metadata.name ?? '',
      options,
      opts,
    );
    deleted.push(res.object ?? item);
  }
  return deleted;
}

function result(scope: Scope, removed: KubeObject): DeleteResult {
  if (scope.rt.kind === 'Pod' && scope.rt.group === '') {
    return { object: fromStorage(scope.rt, scope.version, removed) };
  }
  // Upstream's success Status carries no code, and no group for the core group.
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: removed.metadata.name ?? '',
      ...(scope.rt.group ? { group: scope.rt.group } : {}),
      kind: scope.rt.resource,
      ...(removed.metadata.uid ? { uid: removed.metadata.uid } : {}),
    },
  } as Status;
  return { status };
}

function checkPreconditions(
  scope: Scope,
  name: string,
  current: KubeObject,
  options: DeleteOptions,
): void {
  const pre = options.preconditions;
  const meta = current.metadata;
  if (pre?.uid && pre.uid !== meta.uid) {
    throw preconditionFailed(
      scope,
      name,
      `UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw preconditionFailed(
      scope,
      name,
      `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
    );
  }
}

function preconditionFailed(scope: Scope, name: string, why: string): ApiError {
  const qualified = scope.rt.group ? `${scope.rt.resource}.${scope.rt.group}` : scope.rt.resource;
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${name}": Precondition failed: ${why}`,
    {
      name,
      group: scope.rt.group,
      kind: scope.rt.resource,
    },
  );
}

/** The finalizers after this delete: orphan/foreground propagation add theirs, as upstream. */
function finalizersFor(obj: KubeObject, options: DeleteOptions): string[] {
  const set = new Set(obj.metadata.finalizers ?? []);
  if (options.propagationPolicy && options.orphanDependents !== undefined) {
    throw badRequest('orphanDependents and propagationPolicy cannot both be set');
  }
  const policy = options.propagationPolicy ?? (options.orphanDependents ? 'Orphan' : undefined);
  if (policy === 'Orphan') {
    set.add('orphan');
    set.delete('foregroundDeletion');
  } else if (policy === 'Foreground') {
    set.add('foregroundDeletion');
    set.delete('orphan');
  } else if (policy === 'Background') {
    set.delete('orphan');
    set.delete('foregroundDeletion');
  }
  return [...set];
}

/** Seconds of grace: only pods on a node that is still running them get any. */
function gracePeriod(scope: Scope, obj: KubeObject, options: DeleteOptions): number {
  if (scope.rt.kind === 'Namespace' && scope.rt.group === '') {
    return 0;
  }
  if (scope.rt.kind !== 'Pod' || scope.rt.group !== '') {
    return 0;
  }
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase ?? '';
  if (!spec.nodeName || TERMINAL_PHASES.has(phase)) {
    return 0;
  }
  const requested = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, requested);
}
