// Server-side apply (application/apply-patch+yaml): merges an apply configuration into the live
// object, prunes what the manager applied before but no longer does, records ownership in
// managedFields and reports field-manager conflicts as Kubernetes does (409 Conflict).
import type { KubeObject } from '../../apis/meta.js';
import { parseApiVersion } from '../../apis/meta.js';
import { ApiError, badRequest, invalid } from '../../lib/errors.js';
import {
  allowedFromLastApplied,
  conflictError,
  syncLastApplied,
  type Conflict,
} from './apply-support.js';
import { FieldSet } from './field-set.js';
import {
  assertMaxDepth,
  clone,
  deepEqual,
  goJsonKind,
  guarded,
  isObject,
  type JsonObject,
} from './json-value.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  type ManagerEntry,
  type Managers,
} from './managed-fields-codec.js';
import {
  filterComparison,
  stripMeta,
  takeOwnership,
  trackedFields,
  withoutManagedFields,
} from './managed-fields.js';
import { schemaForKind, UNTYPED, type GroupVersionKind, type TypeNode } from './schema.js';
import {
  ensureNamedFieldsAreMembers as ensureNamed,
  removeItems,
  toFieldSet,
  TypedError,
} from './typed.js';
import { compareObjects } from './typed-compare.js';
import { mergeObjects } from './typed-merge.js';

export { LAST_APPLIED_ANNOTATION } from './apply-support.js';

export interface ServerSideApplyOptions {
  current: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** The request's version, e.g. `apps/v1`; the configuration must use it. */
  apiVersion: string;
  now: string;
  kind: GroupVersionKind;
  subresource?: string;
}

class ConflictsFound extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super('apply conflicts');
  }
}

interface Context {
  opts: ServerSideApplyOptions;
  node: TypeNode;
  live: JsonObject | undefined;
  config: JsonObject;
  configSet: FieldSet;
  tracked: (s: FieldSet) => FieldSet;
}

const gvkString = (group: string, version: string, kind: string): string =>
  `${group}/${version}, Kind=${kind}`;

function validate(opts: ServerSideApplyOptions): void {
  if (!isObject(opts.applied)) {
    throw badRequest(
      `error decoding YAML: json: cannot unmarshal ${goJsonKind(opts.applied)} into Go value of type map[string]interface {}`,
    );
  }
  if (!opts.manager) {
    throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
      {
        type: 'FieldValueRequired',
        field: 'fieldManager',
        detail: 'Required value: is required for apply patch',
      },
    ]);
  }
  const applied = opts.applied as JsonObject;
  const apiVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  const gv = parseApiVersion(apiVersion);
  if (apiVersion !== opts.apiVersion || kind !== opts.kind.kind) {
    throw badRequest(`invalid object type: ${gvkString(gv.group, gv.version, kind)}`);
  }
  const metadata = applied.metadata;
  if (
    isObject(metadata) &&
    metadata.managedFields !== undefined &&
    metadata.managedFields !== null
  ) {
    throw badRequest('metadata.managedFields must be nil');
  }
}

function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** Removes what the manager applied last time but not now, unless someone else owns it. */
function prune(
  merged: JsonObject,
  managers: Managers,
  lastSet: FieldSet | undefined,
  node: TypeNode,
): JsonObject {
  if (!lastSet || lastSet.isEmpty()) {
    return merged;
  }
  const last = ensureNamed(lastSet, node);
  const fieldsOf = (obj: JsonObject): FieldSet => ensureNamed(toFieldSet(obj, node, false), node);
  const mergedSet = fieldsOf(merged);
  const firstCut = asObject(removeItems(merged, last, node));
  let managed = new FieldSet();
  for (const entry of managers.values()) {
    managed = managed.union(entry.set);
  }
  managed = ensureNamed(managed, node);
  const owned = asObject(
    removeItems(merged, mergedSet.difference(fieldsOf(firstCut).union(managed)), node),
  );
  return asObject(
    removeItems(merged, mergedSet.difference(fieldsOf(owned)).intersection(last), node),
  );
}

function findConflicts(managers: Managers, selfId: string, changed: FieldSet): Conflict[] {
  const conflicts: Conflict[] = [];
  const ids = [...managers.keys()].filter((id) => id !== selfId).sort();
  for (const id of ids) {
    const entry = managers.get(id) as ManagerEntry;
    for (const path of entry.set.intersection(changed).paths()) {
      conflicts.push({ entry, path });
    }
  }
  return conflicts;
}

function applyOnce(ctx: Context, start: Managers, force: boolean): JsonObject {
  const { opts, node } = ctx;
  const managers: Managers = new Map([...start].map(([id, e]) => [id, { ...e }]));
  const identity = {
    manager: opts.manager,
    operation: 'Apply' as const,
    apiVersion: opts.apiVersion,
    subresource: opts.subresource ?? '',
  };
  const selfId = managerIdentifier(identity);
  const previous = managers.get(selfId);
  managers.set(selfId, { ...identity, time: previous?.time, set: ctx.configSet });
  const live = ctx.live ?? {};
  const merged = prune(mergeObjects(live, ctx.config, node), managers, previous?.set, node);
  const cmp = filterComparison(compareObjects(ctx.live, merged, node), ctx.tracked);
  const conflicts = findConflicts(managers, selfId, cmp.modified.union(cmp.added));
  if (conflicts.length > 0 && !force) {
    throw new ConflictsFound(conflicts);
  }
  takeOwnership(managers, selfId, cmp);
  const self = managers.get(selfId) as ManagerEntry;
  if (!deepEqual(live, merged) || self.time === undefined) {
    self.time = opts.now;
  }
  const result = merged as KubeObject;
  if (!isObject(result.metadata)) {
    result.metadata = {};
  }
  const entries = encodeManagedFields(managers);
  if (entries) {
    result.metadata.managedFields = entries;
  }
  return result;
}

function startingManagers(ctx: Context): Managers {
  let managers: Managers;
  try {
    managers = decodeManagedFields(ctx.opts.current?.metadata.managedFields);
  } catch (err) {
    throw new ApiError(500, '', `failed to decode managed fields: ${(err as Error).message}`);
  }
  if (ctx.live && managers.size === 0) {
    // Objects nobody tracked yet: their current fields go to an Update manager first.
    const cmp = filterComparison(compareObjects(undefined, ctx.live, ctx.node), ctx.tracked);
    const set = stripMeta(ctx.tracked(cmp.added.union(cmp.modified)));
    const identity = {
      manager: 'before-first-apply',
      operation: 'Update' as const,
      apiVersion: ctx.opts.apiVersion,
      subresource: '',
    };
    managers.set(managerIdentifier(identity), { ...identity, time: ctx.opts.now, set });
  }
  return managers;
}

function context(opts: ServerSideApplyOptions): Context {
  const node = schemaForKind(opts.kind) ?? UNTYPED;
  const config = clone(opts.applied) as JsonObject;
  const tracked = trackedFields(opts.subresource ?? '');
  let configSet: FieldSet;
  try {
    configSet = stripMeta(tracked(toFieldSet(config, node, true)));
  } catch (err) {
    if (!(err instanceof TypedError)) {
      throw err;
    }
    const { group, version, kind } = opts.kind;
    throw new ApiError(
      500,
      '',
      `failed to create typed patch object (${gvkString(group, version, kind)}): ${err.message}`,
    );
  }
  const live = opts.current ? withoutManagedFields(opts.current) : undefined;
  return { opts, node, live, config, configSet, tracked };
}

/**
 * Applies `applied` for `manager` (creating when `current` is undefined) and returns the new
 * object with managedFields updated. Throws 409 Conflict when another manager owns a field the
 * configuration changes and `force` is false.
 */
export function serverSideApply(opts: ServerSideApplyOptions): KubeObject {
  return guarded('apply', () => {
    validate(opts);
    assertMaxDepth(opts.applied, 'apply configuration');
    assertMaxDepth(opts.current, 'object');
    const ctx = context(opts);
    const managers = startingManagers(ctx);
    let result: JsonObject;
    try {
      result = applyOnce(ctx, managers, opts.force);
    } catch (err) {
      if (!(err instanceof ConflictsFound)) {
        throw err;
      }
      const allowed =
        opts.manager === 'kubectl'
          ? allowedFromLastApplied(ctx.live, opts.apiVersion, ctx.node)
          : undefined;
      const remaining = err.conflicts.filter((c) => !allowed?.has(c.path));
      if (remaining.length > 0) {
        throw conflictError(remaining);
      }
      result = applyOnce(ctx, managers, true);
    }
    syncLastApplied(result, opts.applied, opts.manager);
    return result as KubeObject;
  });
}
