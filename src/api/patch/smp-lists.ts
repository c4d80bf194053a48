// Strategic merge patch for lists: merging by patch merge key, `$patch: delete|replace` items,
// sets of primitives, `$deleteFromPrimitiveList`, and the ordering rules that keep server-only
// items near their old neighbours (upstream's normalizeElementOrder and mergeSortedSlice).
import { getOwn, goFormat, hasOwn, isObject, type JsonObject } from './json-value.js';
import type { PatchStrategy, TypeNode } from './schema.js';
import {
  cleanNewValue,
  DIRECTIVE,
  errBadArgType,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  SmpError,
} from './smp-support.js';

export type ElementKind = 'map' | 'primitive';
export type MergeMapFn = (original: JsonObject, patch: JsonObject, schema: TypeNode) => JsonObject;

/** What a list field declares: its strategy, merge key and element type. */
export interface ListMeta {
  strategy: PatchStrategy;
  mergeKey: string;
  elem: TypeNode;
}

/** How list items are identified: by merge key (maps) or by value (primitives). */
export interface Keying {
  mergeKey: string;
  kind: ElementKind;
}

/** A list merge: the field's metadata, whether it is a `$deleteFromPrimitiveList`, and how
 * to merge two items. */
export interface ListMerge extends ListMeta {
  isDeleteList: boolean;
  mergeMap: MergeMapFn;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) {
    return 'array';
  }
  return v === null ? 'null' : typeof v;
}

/** The common element kind of the lists; errors for lists of lists and mixed element types. */
export function sliceElementKind(...lists: unknown[][]): ElementKind {
  const types = new Set(lists.flat().map(jsonType));
  const [first] = lists.flat().map(jsonType);
  if (first === undefined) {
    throw new SmpError('internal', 'no elements in any of the given slices');
  }
  if (first === 'array') {
    throw errNoListOfLists();
  }
  if (types.size > 1) {
    throw new SmpError('internal', `list element types are not identical: ${goFormat(lists)}`);
  }
  return first === 'object' ? 'map' : 'primitive';
}

function keyOf(item: unknown, k: Keying): unknown {
  return k.kind === 'map' ? (isObject(item) ? getOwn(item, k.mergeKey) : undefined) : item;
}

function firstIndexes(list: unknown[], k: Keying): Map<unknown, number> {
  const index = new Map<unknown, number>();
  list.forEach((item, i) => {
    const key = keyOf(item, k);
    if (!index.has(key)) {
      index.set(key, i);
    }
  });
  return index;
}

function requireKeyedMaps(mergeKey: string, ...lists: unknown[][]): void {
  for (const item of lists.flat()) {
    if (!isObject(item)) {
      throw errBadArgType('map', item);
    }
    if (!hasOwn(item, mergeKey)) {
      throw errNoMergeKey(item, mergeKey);
    }
  }
}

function sortByOrder(items: unknown[], order: unknown[], k: Keying): unknown[] {
  let toDelete: unknown[] = [];
  let toSort = items;
  if (k.kind === 'map') {
    requireKeyedMaps(k.mergeKey, items, order);
    toSort = items.filter((i) => getOwn(i as JsonObject, DIRECTIVE) !== 'delete');
    toDelete = items.filter((i) => getOwn(i as JsonObject, DIRECTIVE) === 'delete');
  }
  const index = firstIndexes(order, k);
  const rank = (item: unknown): number => index.get(keyOf(item, k)) ?? Number.MAX_SAFE_INTEGER;
  return [...toSort].sort((a, b) => rank(a) - rank(b)).concat(toDelete);
}

/**
 * Interleaves server-only items (`left`) into patch items (`right`): a server-only item goes
 * first only when both are known to the live list and it came earlier there.
 */
function mergeSorted(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  k: Keying,
): unknown[] {
  const index = firstIndexes(serverOrder, k);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length || i >= left.length) {
      out.push(...left.slice(i), ...right.slice(j));
      break;
    }
    const li = index.get(keyOf(left[i], k));
    const ri = index.get(keyOf(right[j], k));
    if (li !== undefined && ri !== undefined && li < ri) {
      out.push(left[i++]);
    } else {
      out.push(right[j++]);
    }
  }
  return out;
}

/** Orders patch items by the patch's order and places server-only items by the live order. */
export function normalizeElementOrder(
  items: { patch: unknown[]; serverOnly: unknown[] },
  order: { patch: unknown[]; server: unknown[] },
  k: Keying,
): unknown[] {
  const sortedPatch = sortByOrder(items.patch, order.patch, k);
  const sortedServer = sortByOrder(items.serverOnly, order.server, k);
  return mergeSorted(sortedServer, sortedPatch, order.server, k);
}

/** Splits `items` into those present in `by` (by merge key for maps) and the rest. */
export function partitionByPresence(
  items: unknown[],
  by: unknown[],
  k: Keying,
): { patch: unknown[]; serverOnly: unknown[] } {
  if (k.kind === 'map') {
    requireKeyedMaps(k.mergeKey, items);
    by.forEach((item, i) => {
      if (!isObject(item)) {
        throw new SmpError('internal', `value for key ${i} is not a map`);
      }
    });
  }
  const present = new Set(by.map((item) => keyOf(item, k)));
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of items) {
    (present.has(keyOf(item, k)) ? patch : serverOnly).push(item);
  }
  return { patch, serverOnly };
}

function applySpecialElements(
  original: unknown[],
  patch: JsonObject[],
  mergeKey: string,
): [unknown[], JsonObject[]] {
  const plain: JsonObject[] = [];
  const deleted = new Set<unknown>();
  let isReplace = false;
  for (const item of patch) {
    if (!hasOwn(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasOwn(item, mergeKey)) {
        throw errNoMergeKey(item, mergeKey);
      }
      deleted.add(item[mergeKey]);
    } else if (directive === 'replace') {
      isReplace = true;
    } else if (directive === 'merge') {
      throw new SmpError('internal', 'merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  if (isReplace) {
    return [plain.map((i) => cleanNewValue(i)), []];
  }
  const isDeleted = (o: unknown): boolean =>
    isObject(o) && hasOwn(o, mergeKey) && deleted.has(o[mergeKey]);
  return [deleted.size > 0 ? original.filter((o) => !isDeleted(o)) : original, plain];
}

function mergeKeyedItems(original: unknown[], patch: JsonObject[], meta: ListMerge): unknown[] {
  const out = [...original];
  const index = firstIndexes(out, { mergeKey: meta.mergeKey, kind: 'map' });
  for (const item of patch) {
    if (!hasOwn(item, meta.mergeKey)) {
      throw errNoMergeKey(item, meta.mergeKey);
    }
    const key = item[meta.mergeKey];
    const at = index.get(key);
    if (at !== undefined) {
      out[at] = meta.mergeMap(out[at] as JsonObject, item, meta.elem);
    } else {
      index.set(key, out.length);
      out.push(cleanNewValue(item));
    }
  }
  return out;
}

function dedupe(items: unknown[]): unknown[] {
  return [...new Set(items)];
}

/** Merges two lists the way a field with patchStrategy=merge (or a delete list) asks. */
export function mergeSlice(original: unknown[], patch: unknown[], meta: ListMerge): unknown[] {
  if (original.length === 0 && patch.length === 0) {
    return original;
  }
  const k: Keying = { mergeKey: meta.mergeKey, kind: sliceElementKind(original, patch) };
  let merged: unknown[];
  let serverOrder = original;
  let patchOrder = patch;
  if (k.kind === 'primitive') {
    if (meta.isDeleteList) {
      const toDelete = new Set(patch);
      return original.filter((v) => !toDelete.has(v));
    }
    merged = dedupe([...original, ...patch]);
  } else {
    if (meta.mergeKey === '') {
      const name = meta.elem.kind === 'struct' ? 'struct' : 'map';
      throw new SmpError('internal', `cannot merge lists without merge key for ${name}`);
    }
    const [current, plain] = applySpecialElements(original, patch as JsonObject[], meta.mergeKey);
    serverOrder = current;
    patchOrder = plain;
    merged = mergeKeyedItems(current, plain, meta);
  }
  const items = partitionByPresence(merged, patchOrder, k);
  return normalizeElementOrder(items, { patch: patchOrder, server: serverOrder }, k);
}

/** Merges or replaces a list according to its strategy; delete lists always merge. */
export function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  meta: ListMerge,
): unknown[] {
  if (meta.strategy === 'merge' || meta.isDeleteList) {
    return mergeSlice(original, patch, meta);
  }
  return cleanNewValue(patch) as unknown[];
}
