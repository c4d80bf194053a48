// Strategic merge patch (application/strategic-merge-patch+json): a JSON merge patch that
// merges lists by their patch merge key and understands the `$patch`, `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` directives. A port in spirit of
// apimachinery's strategicpatch.StrategicMergeMapPatch (server side: parallel lists merged).
import type { KubeObject } from '../../apis/meta.js';
import { badRequest } from '../../lib/errors.js';
import {
  assertMaxDepth,
  clone,
  deleteOwn,
  getOwn,
  goJsonKind,
  guarded,
  hasOwn,
  isObject,
  setOwn,
  type JsonObject,
} from './json-value.js';
import {
  mergeSliceHandler,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementKind,
  type ListMeta,
} from './smp-lists.js';
import {
  cleanNewValue,
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER,
  SmpError,
  toApiError,
} from './smp-support.js';
import {
  fieldType,
  schemaForKind,
  UNTYPED,
  type GroupVersionKind,
  type TypeNode,
} from './schema.js';

function listMeta(schema: TypeNode, key: string): ListMeta {
  const node = fieldType(schema, key) ?? UNTYPED;
  if (node.kind === 'list') {
    return { strategy: node.patchStrategy, mergeKey: node.mergeKey ?? '', elem: node.elem };
  }
  return { strategy: undefined, mergeKey: '', elem: UNTYPED };
}

function handleMapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    deleteOwn(patch, DIRECTIVE);
    return cleanNewValue(patch) as JsonObject;
  }
  if (directive === 'delete') {
    return {};
  }
  throw errBadPatchType(directive, patch);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) {
    return;
  }
  const retain = patch[RETAIN_KEYS];
  deleteOwn(patch, RETAIN_KEYS);
  if (!Array.isArray(retain)) {
    throw errBadPatchFormatForRetainKeys();
  }
  const keep = new Set(retain.filter((k): k is string => typeof k === 'string'));
  for (const [k, v] of Object.entries(patch)) {
    const isParallelList =
      k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER);
    if (v !== null && !isParallelList && !keep.has(k)) {
      throw errBadPatchFormatForRetainKeys();
    }
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) {
      deleteOwn(original, k);
    }
  }
}

/** Trims `prefix/` off a directive key; upstream's extractKey. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST
      ? errBadPatchFormatForPrimitiveList()
      : errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

function optionalList(container: JsonObject, key: string): unknown[] | undefined {
  if (!hasOwn(container, key)) {
    return undefined;
  }
  const value = container[key];
  if (!Array.isArray(value)) {
    throw errBadArgType('list', value);
  }
  return value as unknown[];
}

function mergeKeyEqual(item: unknown, ordered: unknown, mergeKey: string): boolean {
  if (mergeKey === '') {
    return item === ordered;
  }
  for (const m of [item, ordered]) {
    if (!isObject(m)) {
      throw errBadArgType('map', m);
    }
    if (!hasOwn(m, mergeKey)) {
      throw errNoMergeKey(m, mergeKey);
    }
  }
  return (item as JsonObject)[mergeKey] === (ordered as JsonObject)[mergeKey];
}

/** Every patch item must appear in `$setElementOrder`, in the same relative order. */
function validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) {
    return;
  }
  const items = patchList.filter((i) => !(isObject(i) && getOwn(i, DIRECTIVE) === 'delete'));
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    while (p < items.length && isObject(items[p]) && hasOwn(items[p] as JsonObject, DIRECTIVE)) {
      p++;
    }
    if (p < items.length && mergeKeyEqual(items[p], order[o], mergeKey)) {
      p++;
    }
  }
  if (p < items.length) {
    throw new SmpError(
      'internal',
      `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}\n`,
    );
  }
}

function applyElementOrder(original: JsonObject, patch: JsonObject, schema: TypeNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    const order = patch[key];
    deleteOwn(patch, key);
    if (!Array.isArray(order)) {
      throw errBadArgType('list', order);
    }
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const originalList = optionalList(original, field);
    const patchList = optionalList(patch, field);
    const meta = listMeta(schema, field);
    validateOrder(patchList ?? [], order, meta.mergeKey);
    let merged: unknown[];
    if (originalList && patchList) {
      merged = mergeSliceHandler(originalList, patchList, {
        ...meta,
        isDeleteList: false,
        mergeMap,
      });
    } else if (patchList) {
      merged = cleanNewValue(patchList) as unknown[];
    } else if (originalList) {
      merged = originalList;
    } else {
      continue;
    }
    const k = {
      mergeKey: meta.mergeKey,
      kind: sliceElementKind(originalList ?? [], patchList ?? []),
    };
    const items = partitionByPresence(merged, order, k);
    setOwn(
      original,
      field,
      normalizeElementOrder(items, { patch: order, server: originalList ?? [] }, k),
    );
    deleteOwn(patch, field);
  }
}

function mergeField(
  original: JsonObject,
  { key, isDeleteList }: { key: string; isDeleteList: boolean },
  patchValue: unknown,
  schema: TypeNode,
): void {
  const current = getOwn(original, key);
  if (goJsonKind(current) !== goJsonKind(patchValue)) {
    // A value of another type replaces; a delete list has nothing to delete from.
    if (!isDeleteList) {
      setOrDelete(original, key, cleanNewValue(patchValue));
    }
    return;
  }
  if (isObject(current) && isObject(patchValue)) {
    const node = fieldType(schema, key) ?? UNTYPED;
    const isReplace =
      (node.kind === 'struct' || node.kind === 'map') && node.patchStrategy === 'replace';
    setOwn(
      original,
      key,
      isReplace ? cleanNewValue(patchValue) : mergeMap(current, patchValue, node),
    );
  } else if (Array.isArray(current) && Array.isArray(patchValue)) {
    const meta = listMeta(schema, key);
    setOwn(
      original,
      key,
      mergeSliceHandler(current, patchValue, { ...meta, isDeleteList, mergeMap }),
    );
  } else {
    setOrDelete(original, key, cleanNewValue(patchValue));
  }
}

function setOrDelete(obj: JsonObject, key: string, value: unknown): void {
  if (value === undefined) {
    deleteOwn(obj, key);
  } else {
    setOwn(obj, key, value);
  }
}

/** Merges `patch` into `original` (both mutable copies) following `schema`. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: TypeNode): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) {
    return handleMapDirective(patch[DIRECTIVE], patch);
  }
  applyRetainKeys(original, patch);
  applyElementOrder(original, patch, schema);
  for (const rawKey of Object.keys(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = isDeleteList ? extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST) : rawKey;
    const value = patch[rawKey];
    if (value === null) {
      deleteOwn(original, key);
      continue;
    }
    if (!hasOwn(original, key)) {
      if (!isDeleteList) {
        setOrDelete(original, key, cleanNewValue(value));
      }
      continue;
    }
    mergeField(original, { key, isDeleteList }, value, schema);
  }
  return original;
}

/**
 * Applies a strategic merge patch to a copy of `target`, with `schema` describing its type
 * (UNTYPED gives JSON-merge-patch semantics plus the directives). Exposed for tests.
 */
export function strategicMergePatchWithSchema(
  target: JsonObject,
  patch: unknown,
  schema: TypeNode,
): JsonObject {
  return guarded('strategic merge patch', () => {
    assertMaxDepth(patch, 'strategic merge patch');
    assertMaxDepth(target, 'strategic merge patch target');
    if (patch === null) {
      return clone(target);
    }
    if (!isObject(patch)) {
      throw badRequest(
        `json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`,
      );
    }
    try {
      return mergeMap(clone(target), clone(patch), schema);
    } catch (err) {
      throw err instanceof SmpError ? toApiError(err) : err;
    }
  });
}

/**
 * Applies a strategic merge patch to `target` of the given kind. Kinds without generated models
 * (custom resources) get JSON merge patch semantics; upstream instead refuses the content type
 * for them with 415.
 */
export function applyStrategicMergePatch(
  target: KubeObject,
  patch: unknown,
  kind: GroupVersionKind,
): KubeObject {
  const result = strategicMergePatchWithSchema(target, patch, schemaForKind(kind) ?? UNTYPED);
  if (!isObject(result.metadata)) {
    // `metadata: null` or a top-level `$patch` can drop it; name checks then reject the result.
    result.metadata = {};
  }
  return result as KubeObject;
}
