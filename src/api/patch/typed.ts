// Typed walks over objects for server-side apply, after structured-merge-diff's typed package:
// list item keys, the field set an object sets (ToFieldSet), the comparison of two objects
// (added/modified/removed paths), EnsureNamedFieldsAreMembers and RemoveItems.
import { FieldSet, fieldPE, keyPE, pathToString, valuePE, type PathElement } from './field-set.js';
import { goQuote, hasOwn, isObject, setOwn, type JsonObject } from './json-value.js';
import { fieldType, UNTYPED, type ListNode, type TypeNode } from './schema.js';

/** A value that does not fit its schema; the message is `<path>: <problem>` as upstream prints. */
export class TypedError extends Error {
  override name = 'TypedError';
  constructor(path: readonly PathElement[], problem: string) {
    super(`${pathToString(path)}: ${problem}`);
  }
}

function keyedItemPE(list: ListNode, item: unknown): PathElement {
  if (item === null) {
    throw new Error('associative list with keys may not have a null element');
  }
  if (!isObject(item)) {
    throw new Error('associative list with keys may not have non-map elements');
  }
  const key: JsonObject = {};
  for (const name of list.keys) {
    if (hasOwn(item, name)) {
      setOwn(key, name, item[name]);
    } else if (list.keyDefaults.has(name)) {
      setOwn(key, name, list.keyDefaults.get(name));
    }
  }
  if (Object.keys(key).length === 0) {
    const names = list.keys.map(goQuote).join(' ');
    throw new Error(
      `associative list with keys has an element that omits all key fields [${names}] (and doesn't have default values for any key fields)`,
    );
  }
  return keyPE(key);
}

/** The path element of a list item: `k:{...}` for map lists, `v:...` for sets. */
export function listItemPE(list: ListNode, item: unknown): PathElement {
  if (list.listType === 'map') {
    return keyedItemPE(list, item);
  }
  if (Array.isArray(item)) {
    throw new Error('not supported: associative list with lists as elements');
  }
  if (isObject(item)) {
    throw new Error("associative list without keys has an element that's a map type");
  }
  if (item === null) {
    throw new Error("associative list without keys has an element that's an explicit null");
  }
  return valuePE(item);
}

/** Item keys of a granular list; undefined when some item has none (then treated atomic). */
export function itemPEs(
  list: ListNode,
  items: unknown[],
  strict: boolean,
  path: PathElement[],
): PathElement[] | undefined {
  try {
    return items.map((item, i) => {
      try {
        return listItemPE(list, item);
      } catch (err) {
        throw new TypedError(path, `element ${i}: ${(err as Error).message}`);
      }
    });
  } catch (err) {
    if (strict) {
      throw err;
    }
    return undefined;
  }
}

/** The type of a struct/map child; undeclared struct fields are errors only when strict. */
function childType(node: TypeNode, key: string, strict: boolean, path: PathElement[]): TypeNode {
  const t = fieldType(node, key);
  if (t === undefined && strict && node.kind === 'struct') {
    throw new TypedError([...path, fieldPE(key)], 'field not declared in schema');
  }
  return t ?? UNTYPED;
}

/** The type of the element a path element leads to. */
export function typeOfChild(node: TypeNode, pe: PathElement): TypeNode {
  if (pe.startsWith('f:')) {
    return fieldType(node, pe.slice(2)) ?? UNTYPED;
  }
  return node.kind === 'list' ? node.elem : UNTYPED;
}

export function isGranularFields(node: TypeNode): boolean {
  return (
    node.kind === 'untyped' || ((node.kind === 'struct' || node.kind === 'map') && !node.isAtomic)
  );
}

export function isGranularList(node: TypeNode): node is ListNode {
  return node.kind === 'list' && node.listType !== 'atomic';
}

function fieldsToSet(
  value: JsonObject,
  node: TypeNode,
  strict: boolean,
  path: PathElement[],
): FieldSet {
  const set = new FieldSet();
  for (const [key, v] of Object.entries(value)) {
    const childPath = [...path, fieldPE(key)];
    const sub = walkToSet(v, childType(node, key, strict, path), strict, childPath);
    const isDeclared = node.kind === 'struct' && node.field(key) !== undefined;
    if (v === null || (isObject(v) && Object.keys(v).length === 0) || !isDeclared) {
      sub.isMember = true;
    }
    if (sub.isMember || sub.children.size > 0) {
      set.children.set(fieldPE(key), sub);
    }
  }
  return set;
}

function listToSet(
  items: unknown[],
  node: ListNode,
  strict: boolean,
  path: PathElement[],
): FieldSet {
  const set = new FieldSet();
  const pes = itemPEs(node, items, strict, path);
  if (!pes) {
    set.isMember = true;
    return set;
  }
  const seen = new Set<PathElement>();
  const duplicates = new Set<PathElement>();
  for (const pe of pes) {
    if (seen.has(pe)) {
      if (strict) {
        throw new TypedError(path, `duplicate entries for key ${pathToString([pe])}`);
      }
      duplicates.add(pe);
    }
    seen.add(pe);
  }
  items.forEach((item, i) => {
    const pe = pes[i] as PathElement;
    const sub = duplicates.has(pe)
      ? new FieldSet()
      : walkToSet(item, node.elem, strict, [...path, pe]);
    sub.isMember = true;
    set.children.set(pe, sub);
  });
  return set;
}

/** The set node for `value` at `path`: a member for leaves, children for granular values. */
function walkToSet(value: unknown, node: TypeNode, strict: boolean, path: PathElement[]): FieldSet {
  if (isObject(value) && isGranularFields(node)) {
    return fieldsToSet(value, node, strict, path);
  }
  if (Array.isArray(value) && isGranularList(node)) {
    return listToSet(value, node, strict, path);
  }
  const leaf = new FieldSet();
  leaf.isMember = true;
  return leaf;
}

/**
 * The fields `value` sets. `strict` (apply configurations) rejects undeclared fields, items
 * without keys and duplicate keys with a TypedError; otherwise such lists count as atomic.
 */
export function toFieldSet(value: JsonObject, node: TypeNode, strict: boolean): FieldSet {
  const set = walkToSet(value, node, strict, []);
  set.isMember = false;
  return set;
}

/** Adds struct fields on the way to members, so pruning removes emptied structs too. */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: TypeNode): FieldSet {
  const out = new FieldSet();
  out.isMember = set.isMember;
  for (const [pe, sub] of set.children) {
    const child = ensureNamedFieldsAreMembers(sub, typeOfChild(node, pe));
    if (pe.startsWith('f:') && node.kind === 'struct' && node.field(pe.slice(2)) !== undefined) {
      child.isMember = true;
    }
    out.children.set(pe, child);
  }
  return out;
}

function removeFromList(value: unknown[], set: FieldSet, node: ListNode): unknown {
  if (node.listType === 'atomic') {
    return undefined;
  }
  const pes = itemPEs(node, value, false, []);
  if (!pes) {
    return value;
  }
  const out: unknown[] = [];
  value.forEach((item, i) => {
    const pe = pes[i] as PathElement;
    if (set.has([pe])) {
      return;
    }
    const sub = set.child(pe);
    out.push(sub && !sub.isEmpty() ? (removeItems(item, sub, node.elem) ?? {}) : item);
  });
  return out.length > 0 ? out : undefined;
}

function removeFromFields(value: JsonObject, set: FieldSet, node: TypeNode): unknown {
  if (!isGranularFields(node)) {
    return undefined;
  }
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const pe = fieldPE(key);
    if (set.has([pe])) {
      continue;
    }
    const sub = set.child(pe);
    const kept = sub && !sub.isEmpty() ? removeItems(v, sub, typeOfChild(node, pe)) : v;
    if (kept !== undefined) {
      setOwn(out, key, kept);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `value` without the members of `set`; undefined when nothing is left. */
export function removeItems(value: unknown, set: FieldSet, node: TypeNode): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return value;
    }
    return node.kind === 'list' ? removeFromList(value, set, node) : undefined;
  }
  if (isObject(value)) {
    return Object.keys(value).length === 0 ? value : removeFromFields(value, set, node);
  }
  return value;
}
