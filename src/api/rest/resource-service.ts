// The REST verbs on stored objects (apiserver's generic registry Store): get, list, create,
// update, with conversion, defaulting, validation, admission and managedFields. Synchronous:
// each verb's read-modify-write runs without interleaving, so it never sees a lost update.
import type { KubeList, KubeObject, ListMeta } from '../../apis/meta.js';
import { apiVersionOf, formatTime } from '../../apis/meta.js';
import { ApiError, badRequest, conflict, notFound, STALE_OBJECT } from '../../lib/errors.js';
import { StoreError } from '../../store/store.js';
import { updateManagedFields } from '../patch/index.js';
import type { RestDeps, Scope, WriteOptions, Operation } from './context.js';
import { fromStorage, toStorage } from './convert.js';
import { objectKey, listPrefix } from './keys.js';
import { deepEqual, generateName, prepareCreateMeta, prepareUpdateMeta } from './metadata.js';
import { compileSelection } from './selection.js';
import { validateObject } from './validate.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

interface ContinueToken {
  rv: number;
  start: string;
}

const MAX_GENERATE_NAME_RETRIES = 7;

const gr = (scope: Scope) => ({ group: scope.rt.group, resource: scope.rt.resource });

/** Maps a StoreError to the ApiError Kubernetes answers for it. */
export function storeErrorToApi(e: unknown, scope: Scope, name: string): unknown {
  if (!(e instanceof StoreError)) {
    return e;
  }
  switch (e.code) {
    case 'NotFound':
      return notFound(gr(scope), name);
    case 'AlreadyExists':
      return new ApiError(409, 'AlreadyExists', `${qualified(scope)} "${name}" already exists`, {
        name,
        group: scope.rt.group,
        kind: scope.rt.resource,
      });
    case 'Conflict':
      return conflict(gr(scope), name, STALE_OBJECT);
    case 'Gone':
      return new ApiError(410, 'Expired', e.message);
  }
}

const qualified = (scope: Scope) =>
  scope.rt.group ? `${scope.rt.resource}.${scope.rt.group}` : scope.rt.resource;

export class ResourceService {
  constructor(readonly deps: RestDeps) {}

  /** The stored (storage-version) object, or NotFound. */
  getStored(scope: Scope, name: string): KubeObject {
    const entry = this.deps.store.get(objectKey(scope.rt, scope.namespace, name));
    if (!entry) {
      throw notFound(gr(scope), name);
    }
    return entry.object;
  }

  get(scope: Scope, name: string): KubeObject {
    return fromStorage(scope.rt, scope.version, this.getStored(scope, name));
  }

  list(scope: Scope, opts: ListOptions): KubeList {
    const { items, metadata } = this.listStored(scope, opts);
    return {
      apiVersion: apiVersionOf(scope.rt.group, scope.version.version),
      kind: `${scope.rt.kind}List`,
      metadata,
      items: items.map((o) => fromStorage(scope.rt, scope.version, o)),
    };
  }

  /** Selected storage-version objects, one page of them, and the list metadata. */
  listStored(scope: Scope, opts: ListOptions): { items: KubeObject[]; metadata: ListMeta } {
    const predicate = compileSelection(scope.rt, opts.labelSelector, opts.fieldSelector);
    const { items, revision } = this.deps.store.list(listPrefix(scope.rt, scope.namespace));
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    const out: KubeObject[] = [];
    let next: string | undefined;
    let remaining = 0;
    for (const entry of items) {
      if (token && entry.key <= token.start) {
        continue;
      }
      if (predicate && !predicate(entry.object)) {
        continue;
      }
      if (opts.limit && out.length >= opts.limit) {
        remaining++;
        continue;
      }
      out.push(entry.object);
      next = entry.key;
    }
    const metadata: ListMeta = { resourceVersion: String(token?.rv ?? revision) };
    if (remaining > 0 && next) {
      metadata.continue = encodeContinue({ rv: token?.rv ?? revision, start: next });
      metadata.remainingItemCount = remaining;
    }
    return { items: out, metadata };
  }

  /** Creates obj (in scope.version) and returns it as stored, in scope.version. */
  create(scope: Scope, input: KubeObject, opts: WriteOptions): KubeObject {
    const { rt } = scope;
    const obj = toStorage(rt, scope.version, structuredClone(input));
    obj.metadata = obj.metadata ?? {};
    this.checkNamespace(scope, obj);
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    prepareCreateMeta(rt, obj, this.deps.now());
    rt.strategy.default?.(obj);
    validateObject(rt, obj, undefined);
    warnIgnoredFields(scope, obj, undefined, opts);
    this.admit('CREATE', scope, obj, undefined, '', opts);
    const stamped = this.stampManagedFields(scope, obj, undefined, opts, '');
    if (opts.dryRun) {
      return fromStorage(rt, scope.version, stamped);
    }
    // A generated name that collides is generated again, as upstream's RetryGenerateName does.
    const generated = !input.metadata?.name && !!obj.metadata.generateName;
    for (let attempt = 0; ; attempt++) {
      const name = stamped.metadata.name ?? '';
      try {
        const stored = this.deps.store.create(objectKey(rt, scope.namespace, name), stamped);
        this.deps.onCommitted?.(rt, stored, 'CREATE');
        return fromStorage(rt, scope.version, stored);
      } catch (e) {
        const collided = e instanceof StoreError && e.code === 'AlreadyExists';
        if (!generated || !collided || attempt >= MAX_GENERATE_NAME_RETRIES) {
          throw storeErrorToApi(e, scope, name);
        }
        stamped.metadata = {
          ...stamped.metadata,
          name: generateName(obj.metadata.generateName ?? ''),
        };
      }
    }
  }

  /**
   * Replaces the object (PUT). `subresource` 'status' changes only status; '' keeps status for
   * kinds with a status subresource. Returns the result and whether it was created.
   */
  update(
    scope: Scope,
    name: string,
    input: KubeObject,
    opts: WriteOptions & { subresource?: string },
  ): { object: KubeObject; created: boolean } {
    const { rt } = scope;
    const obj = toStorage(rt, scope.version, structuredClone(input));
    obj.metadata = obj.metadata ?? {};
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    obj.metadata.name = name;
    this.checkNamespace(scope, obj);
    const entry = this.deps.store.get(objectKey(rt, scope.namespace, name));
    if (!entry) {
      if (!rt.allowCreateOnUpdate || opts.subresource) {
        throw notFound(gr(scope), name);
      }
      return { object: this.create(scope, input, opts), created: true };
    }
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== entry.object.metadata.resourceVersion) {
      throw conflict(gr(scope), name, STALE_OBJECT);
    }
    return { object: this.replaceStored(scope, entry.object, obj, opts), created: false };
  }

  /**
   * Writes `next` (storage version, already merged by the caller) over `old`: keeps
   * server-owned metadata, separates spec and status, validates, admits, stores.
   */
  replaceStored(
    scope: Scope,
    old: KubeObject,
    incoming: KubeObject,
    opts: WriteOptions & { subresource?: string },
  ): KubeObject {
    const { rt } = scope;
    const subresource = opts.subresource ?? '';
    let obj = incoming;
    if (subresource === 'status') {
      obj = { ...structuredClone(old), status: incoming.status };
    } else if (rt.subresources.includes('status') && !rt.keepStatusOnCreate) {
      obj = { ...incoming };
      if (old.status === undefined) {
        delete obj.status;
      } else {
        obj.status = old.status;
      }
    }
    prepareUpdateMeta(rt, obj, old, subresource === 'delete');
    rt.strategy.prepareForUpdate?.(obj, old);
    rt.strategy.default?.(obj);
    // A binding only sets spec.nodeName, and a delete only the deletion fields: update rules
    // (pod spec and deletion fields are immutable) do not apply to those server-side writes.
    const isServerWrite = subresource === 'binding' || subresource === 'delete';
    validateObject(rt, obj, isServerWrite ? undefined : old);
    warnIgnoredFields(scope, obj, old, opts);
    this.admit('UPDATE', scope, obj, old, subresource, opts);
    const stamped = this.stampManagedFields(scope, obj, old, opts, subresource);
    if (opts.dryRun || isNoop(stamped, old)) {
      // Upstream skips writes that change nothing: no new resourceVersion, no watch event.
      return fromStorage(rt, scope.version, opts.dryRun ? stamped : old);
    }
    const key = objectKey(rt, scope.namespace, old.metadata.name ?? '');
    try {
      if (isFinalized(stamped)) {
        // The last finalizer is gone: the object leaves the store now.
        this.deps.store.update(key, stamped, Number(old.metadata.resourceVersion));
        const removed = this.deps.store.delete(key);
        this.deps.onCommitted?.(rt, removed, 'DELETE');
        return fromStorage(rt, scope.version, removed);
      }
      const stored = this.deps.store.update(key, stamped, Number(old.metadata.resourceVersion));
      this.deps.onCommitted?.(rt, stored, 'UPDATE');
      return fromStorage(rt, scope.version, stored);
    } catch (e) {
      throw storeErrorToApi(e, scope, old.metadata.name ?? '');
    }
  }

  private stampManagedFields(
    scope: Scope,
    obj: KubeObject,
    old: KubeObject | undefined,
    opts: WriteOptions,
    subresource: string,
  ): KubeObject {
    if (!opts.fieldManager || subresource === 'delete') {
      return obj;
    }
    return updateManagedFields({
      old,
      updated: obj,
      manager: opts.fieldManager,
      operation: 'Update',
      apiVersion: apiVersionOf(scope.rt.group, scope.version.version),
      now: formatTime(this.deps.now()),
      ...(subresource ? { subresource } : {}),
    });
  }

  private checkNamespace(scope: Scope, obj: KubeObject): void {
    const meta = obj.metadata;
    if (!scope.rt.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== scope.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = scope.namespace;
  }

  admit(
    operation: Operation,
    scope: Scope,
    obj: KubeObject,
    old: KubeObject | undefined,
    subresource: string,
    opts: WriteOptions,
  ): void {
    for (const plugin of this.deps.admission) {
      if (plugin.handles(scope.rt)) {
        plugin.admit(
          {
            operation,
            rt: scope.rt,
            object: obj,
            ...(old ? { old } : {}),
            subresource,
            dryRun: !!opts.dryRun,
            fieldManager: opts.fieldManager ?? '',
            warnings: opts.warnings ?? [],
          },
          this.deps.store,
        );
      }
    }
  }
}

/** Names, in `Warning:` headers, fields Kubernetes has that kubeproc stores but does not act on. */
function warnIgnoredFields(
  scope: Scope,
  obj: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): void {
  const { strategy } = scope.rt;
  if (!strategy.ignoredFields || !opts.warnings) {
    return;
  }
  // On updates, only fields newly set: a status write must not repeat what the create said.
  const before = new Set(old ? strategy.ignoredFields(old) : []);
  for (const path of strategy.ignoredFields(obj)) {
    if (!before.has(path)) {
      opts.warnings.push(`${path}: kubeproc stores this field but does not act on it`);
    }
  }
}

/** Equal but for managedFields timestamps and resourceVersion: nothing to write. */
function isNoop(next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => ({
    ...o,
    metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined },
  });
  return deepEqual(strip(next), strip(old));
}

/** Marked for deletion, no grace left and no finalizer (nor namespace finalizer) remaining. */
export function isFinalized(obj: KubeObject): boolean {
  const meta = obj.metadata;
  const specFinalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
  const isNamespace = obj.kind === 'Namespace' && obj.apiVersion === 'v1';
  return (
    !!meta.deletionTimestamp &&
    (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
    (meta.finalizers ?? []).length === 0 &&
    (!isNamespace || specFinalizers.length === 0)
  );
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<ContinueToken>;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') {
      return { rv: parsed.rv, start: parsed.start };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: the continue token is malformed');
}
