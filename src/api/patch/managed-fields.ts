// metadata.managedFields bookkeeping for create/update/patch (apimachinery's managedfields
// FieldManager.Update): the writer takes the fields it added or changed, other managers lose
// them and the fields that were removed. Also the filters server-side apply shares.
import type { KubeObject } from '../../apis/meta.js';
import { FieldSet, fieldPE, type FieldPath } from './field-set.js';
import { assertMaxDepth, clone, guarded, isObject, type JsonObject } from './json-value.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  type Managers,
} from './managed-fields-codec.js';
import { schemaForKind, UNTYPED, type GroupVersionKind, type TypeNode } from './schema.js';
import { compareObjects, type Comparison } from './typed-compare.js';

// Fields no manager owns (upstream's stripMetaManager): exact paths only.
const STRIPPED: FieldPath[] = [
  [fieldPE('apiVersion')],
  [fieldPE('kind')],
  [fieldPE('metadata')],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f) => [fieldPE('metadata'), fieldPE(f)]),
];

export function stripMeta(set: FieldSet): FieldSet {
  return set.difference(FieldSet.of(...STRIPPED));
}

function restrictTo(set: FieldSet, path: FieldPath): FieldSet {
  let node = set;
  for (const pe of path) {
    const next = node.child(pe);
    if (!next) {
      return new FieldSet();
    }
    node = next;
  }
  let out = node.clone();
  out.isMember = node.isMember;
  for (const pe of [...path].reverse()) {
    const parent = new FieldSet();
    parent.children.set(pe, out);
    out = parent;
  }
  return out;
}

/** Keeps only the fields a write through `subresource` may own (upstream's reset fields). */
export function trackedFields(subresource: string): (set: FieldSet) => FieldSet {
  switch (subresource) {
    case '':
      return (set) => set.recursiveDifference(FieldSet.of([fieldPE('status')]));
    case 'status':
      return (set) => restrictTo(set, [fieldPE('status')]);
    case 'scale':
      return (set) => restrictTo(set, [fieldPE('spec'), fieldPE('replicas')]);
    default:
      return (set) => set;
  }
}

export function filterComparison(c: Comparison, filter: (s: FieldSet) => FieldSet): Comparison {
  return { added: filter(c.added), modified: filter(c.modified), removed: filter(c.removed) };
}

/** Strips managedFields before objects are compared or walked. */
export function withoutManagedFields(obj: KubeObject): JsonObject {
  const copy = clone(obj) as JsonObject;
  if (isObject(copy.metadata)) {
    delete copy.metadata.managedFields;
  }
  return copy;
}

/** The root type for a kind's objects (UNTYPED for custom resources). */
export function rootType(obj: KubeObject): TypeNode {
  const [group, version] = (obj.apiVersion ?? '').includes('/')
    ? (obj.apiVersion ?? '').split('/', 2)
    : ['', obj.apiVersion ?? ''];
  return (
    schemaForKind({ group: group ?? '', version: version ?? '', kind: obj.kind ?? '' }) ?? UNTYPED
  );
}

/** Gives the fields of `cmp` that changed to nobody else; drops managers left with nothing. */
export function takeOwnership(managers: Managers, selfId: string, cmp: Comparison): void {
  const changed = cmp.modified.union(cmp.added);
  for (const [id, entry] of managers) {
    if (id === selfId) {
      continue;
    }
    entry.set = entry.set.difference(changed).difference(cmp.removed);
    if (entry.set.isEmpty()) {
      managers.delete(id);
    }
  }
}

export interface UpdateManagedFieldsOptions {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  operation: 'Update';
  apiVersion: string;
  now: string;
  subresource?: string;
  kind?: GroupVersionKind;
}

function startingManagers(opts: UpdateManagedFieldsOptions): Managers {
  const fromOld = (): Managers => {
    try {
      return decodeManagedFields(opts.old?.metadata.managedFields);
    } catch {
      return new Map();
    }
  };
  if (opts.subresource) {
    return fromOld();
  }
  const requested = opts.updated.metadata.managedFields as unknown;
  if (
    Array.isArray(requested) &&
    (requested.length === 0 ||
      (requested.length === 1 && isObject(requested[0]) && Object.keys(requested[0]).length === 0))
  ) {
    return new Map(); // an explicit reset
  }
  try {
    const managers = decodeManagedFields(requested);
    return managers.size > 0 ? managers : fromOld();
  } catch {
    return fromOld();
  }
}

/**
 * Records an ordinary write (create: `old` undefined) in `updated`'s managedFields and returns
 * the new object. The writer owns what it added or changed; others lose those fields.
 */
export function updateManagedFields(opts: UpdateManagedFieldsOptions): KubeObject {
  return guarded('managed fields', () => {
    assertMaxDepth(opts.updated, 'object');
    assertMaxDepth(opts.old, 'object');
    const subresource = opts.subresource ?? '';
    const node = opts.kind ? (schemaForKind(opts.kind) ?? UNTYPED) : rootType(opts.updated);
    const managers = startingManagers(opts);
    const result = clone(opts.updated);
    const tracked = trackedFields(subresource);
    const cmp = filterComparison(
      compareObjects(
        opts.old && withoutManagedFields(opts.old),
        withoutManagedFields(result),
        node,
      ),
      tracked,
    );
    takeOwnership(managers, '', cmp);
    const owned = stripMeta(tracked(cmp.modified.union(cmp.added)));
    if (!owned.isEmpty()) {
      const identity = {
        manager: opts.manager,
        operation: 'Update' as const,
        apiVersion: opts.apiVersion,
        subresource,
      };
      const id = managerIdentifier(identity);
      const previous = managers.get(id)?.set ?? new FieldSet();
      managers.set(id, { ...identity, time: opts.now, set: owned.union(previous) });
    }
    const entries = encodeManagedFields(managers);
    if (entries) {
      result.metadata.managedFields = entries;
    } else {
      delete result.metadata.managedFields;
    }
    return result;
  });
}
