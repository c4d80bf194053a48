// Comparison of two versions of an object for managed fields, after structured-merge-diff's
// typed.Compare: which paths the new version added, modified or removed. Fields present in the
// Go zero value of a struct (spec, template, ...) count as present on both sides, so they are
// never "added" and never carry a "." in fieldsV1.
import { FieldSet, fieldPE, type PathElement } from './field-set.js';
import { deepEqual, getOwn, isObject, type JsonObject } from './json-value.js';
import { fieldType, UNTYPED, type ListNode, type TypeNode } from './schema.js';
import { isGranularFields, isGranularList, itemPEs } from './typed.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

// `undefined` means absent; null means present but null.
type Side = unknown;

function isEmptyValue(v: Side): boolean {
  if (v === undefined || v === null) {
    return true;
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  return isObject(v) && Object.keys(v).length === 0;
}

function asList(v: Side): unknown[] | undefined {
  if (v === undefined || v === null) {
    return [];
  }
  return Array.isArray(v) ? v : undefined;
}

/** Value of a struct field, with zero-value fields present as empty when the parent exists. */
function fieldValue(parent: Side, node: TypeNode, key: string): Side {
  if (!isObject(parent)) {
    return undefined;
  }
  const v = getOwn(parent, key);
  if (v !== undefined || node.kind !== 'struct' || !node.isValueField(key)) {
    return v;
  }
  return fieldType(node, key)?.kind === 'list' ? null : {};
}

function groupByPE(items: unknown[], pes: PathElement[]): Map<PathElement, unknown[]> {
  const groups = new Map<PathElement, unknown[]>();
  items.forEach((item, i) => {
    const pe = pes[i] as PathElement;
    const group = groups.get(pe);
    if (group) {
      group.push(item);
    } else {
      groups.set(pe, [item]);
    }
  });
  return groups;
}

const isFieldsLike = (v: Side): boolean => v === undefined || v === null || isObject(v);

class Comparer {
  readonly out: Comparison = {
    added: new FieldSet(),
    modified: new FieldSet(),
    removed: new FieldSet(),
  };

  leaf(l: Side, r: Side, path: PathElement[]): void {
    if (l === undefined) {
      this.out.added.insert(path);
    } else if (r === undefined) {
      this.out.removed.insert(path);
    } else if (!deepEqual(l, r)) {
      this.out.modified.insert(path);
    }
  }

  fields(l: Side, r: Side, node: TypeNode, path: PathElement[]): void {
    const keys = new Set([
      ...(isObject(l) ? Object.keys(l) : []),
      ...(isObject(r) ? Object.keys(r) : []),
    ]);
    for (const key of keys) {
      const child = fieldType(node, key) ?? UNTYPED;
      const childPath = [...path, fieldPE(key)];
      this.node(fieldValue(l, node, key), fieldValue(r, node, key), child, childPath);
    }
  }

  /** Compares one key's items; duplicated keys compare as a whole. */
  item(ls: unknown[], rs: unknown[], elem: TypeNode, path: PathElement[]): void {
    if (ls.length <= 1 && rs.length <= 1) {
      this.node(ls[0], rs[0], elem, path);
    } else if (ls.length >= 2 && rs.length >= 2) {
      if (!deepEqual(ls, rs)) {
        this.out.modified.insert(path);
      }
    } else if (ls.length >= 2) {
      this.node(undefined, rs[0], elem, path);
      this.out.removed.insert(path);
    } else {
      this.node(ls[0], undefined, elem, path);
      this.out.added.insert(path);
    }
  }

  /** False when some item has no key; the caller then compares the lists as leaves. */
  items(l: unknown[], r: unknown[], node: ListNode, path: PathElement[]): boolean {
    const lPEs = itemPEs(node, l, false, path);
    const rPEs = itemPEs(node, r, false, path);
    if (!lPEs || !rPEs) {
      return false;
    }
    const left = groupByPE(l, lPEs);
    const right = groupByPE(r, rPEs);
    for (const pe of new Set([...lPEs, ...rPEs])) {
      this.item(left.get(pe) ?? [], right.get(pe) ?? [], node.elem, [...path, pe]);
    }
    return true;
  }

  /** Compares granular values child by child; false when they must compare as leaves. */
  granular(l: Side, r: Side, node: TypeNode, path: PathElement[]): boolean {
    if (isEmptyValue(l) && isEmptyValue(r)) {
      return false;
    }
    if (isGranularFields(node) && isFieldsLike(l) && isFieldsLike(r)) {
      this.fields(l, r, node, path);
      return true;
    }
    if (!isGranularList(node)) {
      return false;
    }
    const ll = asList(l);
    const rl = asList(r);
    return ll !== undefined && rl !== undefined && this.items(ll, rl, node, path);
  }

  node(l: Side, r: Side, node: TypeNode, path: PathElement[]): void {
    if (l === undefined && r === undefined) {
      return;
    }
    if (!this.granular(l, r, node, path)) {
      this.leaf(l, r, path);
    } else if (l === undefined) {
      this.out.added.insert(path);
    } else if (r === undefined) {
      this.out.removed.insert(path);
    }
  }
}

/** What changed from `l` to `r` (either may be absent: a create compares from nothing). */
export function compareObjects(
  l: JsonObject | undefined,
  r: JsonObject | undefined,
  node: TypeNode,
): Comparison {
  const comparer = new Comparer();
  // The root always exists (as the zero value on create), so only its fields can be added.
  comparer.node(l ?? {}, r ?? {}, node, []);
  return comparer.out;
}
