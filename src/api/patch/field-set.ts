// Sets of field paths as server-side apply tracks them (sigs.k8s.io/structured-merge-diff
// fieldpath.Set): a tree keyed by serialized path elements (`f:name`, `k:{"name":"web"}`,
// `v:"x"`, `i:0`), its set algebra, the fieldsV1 wire format and the `.a[k=v]` path strings.
import { goJson, goQuote, hasOwn, isObject, MAX_DEPTH, type JsonObject } from './json-value.js';

/** A serialized path element: `f:<field>`, `k:<json key object>`, `v:<json value>` or `i:<n>`. */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

export const fieldPE = (name: string): PathElement => `f:${name}`;
export const keyPE = (key: JsonObject): PathElement => `k:${goJson(key)}`;
export const valuePE = (value: unknown): PathElement => `v:${goJson(value)}`;

const TYPE_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function valueRank(v: unknown): number {
  if (typeof v === 'number') {
    return 0;
  }
  if (typeof v === 'string') {
    return 1;
  }
  if (typeof v === 'boolean') {
    return 2;
  }
  if (Array.isArray(v)) {
    return 3;
  }
  return isObject(v) ? 4 : 5;
}

function cmp<T extends string | number | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** structured-merge-diff's total order of values. */
function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) {
    return ra - rb;
  }
  if (typeof a === 'number' || typeof a === 'string' || typeof a === 'boolean') {
    return cmp(a, b as typeof a);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) {
        return c;
      }
    }
    return a.length - b.length;
  }
  return isObject(a) && isObject(b) ? compareKeys(a, b) : 0;
}

function compareKeys(a: JsonObject, b: JsonObject): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const na = ka[i] as string;
    const nb = kb[i] as string;
    const c = cmp(na, nb) || compareValues(a[na], b[nb]);
    if (c !== 0) {
      return c;
    }
  }
  return ka.length - kb.length;
}

/** Orders path elements as upstream serializes them: fields, keys, values, indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ta = a.slice(0, 1);
  const tb = b.slice(0, 1);
  if (ta !== tb) {
    return (TYPE_RANK[ta] ?? 9) - (TYPE_RANK[tb] ?? 9);
  }
  const ca = a.slice(2);
  const cb = b.slice(2);
  switch (ta) {
    case 'f':
      return cmp(ca, cb);
    case 'i':
      return Number(ca) - Number(cb);
    default:
      return compareValues(JSON.parse(ca) as unknown, JSON.parse(cb) as unknown);
  }
}

function valueToString(v: unknown): string {
  if (typeof v === 'string') {
    return goQuote(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map(valueToString).join(',')}]`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  return v === null ? 'null' : JSON.stringify(v);
}

/** Renders a path the way conflicts print it: `.spec.containers[name="web"].image`. */
export function pathToString(path: FieldPath): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe.slice(0, 1)) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as JsonObject;
          const parts = Object.keys(key)
            .sort()
            .map((k) => `${k}=${valueToString(key[k])}`);
          return `[${parts.join(',')}]`;
        }
        case 'v':
          return `[=${valueToString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

/** A set of field paths, stored as a tree; a node is a member when its own path is in the set. */
export class FieldSet {
  isMember = false;
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const p of paths) {
      set.insert(p);
    }
    return set;
  }

  insert(path: FieldPath): void {
    const [first, ...rest] = path;
    if (first === undefined) {
      return;
    }
    let next = this.children.get(first);
    if (!next) {
      next = new FieldSet();
      this.children.set(first, next);
    }
    if (rest.length === 0) {
      next.isMember = true;
    } else {
      next.insert(rest);
    }
  }

  /** Marks the direct child `pe` as a member, creating it if needed. */
  insertChild(pe: PathElement): FieldSet {
    this.insert([pe]);
    return this.children.get(pe) as FieldSet;
  }

  has(path: FieldPath): boolean {
    const [first, ...rest] = path;
    const next = first === undefined ? undefined : this.children.get(first);
    if (!next) {
      return false;
    }
    return rest.length === 0 ? next.isMember : next.has(rest);
  }

  /** The paths below `pe`, relative to it (upstream's WithPrefix). */
  child(pe: PathElement): FieldSet | undefined {
    return this.children.get(pe);
  }

  isEmpty(): boolean {
    for (const c of this.children.values()) {
      if (c.isMember || !c.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private attach(pe: PathElement, sub: FieldSet, isMember: boolean): void {
    sub.isMember = isMember;
    if (isMember || sub.children.size > 0) {
      this.children.set(pe, sub);
    }
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [pe, a] of this.children) {
      const b = other.children.get(pe);
      out.attach(pe, b ? a.union(b) : a.clone(), a.isMember || b?.isMember === true);
    }
    for (const [pe, b] of other.children) {
      if (!this.children.has(pe)) {
        out.attach(pe, b.clone(), b.isMember);
      }
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [pe, a] of this.children) {
      const b = other.children.get(pe);
      out.attach(pe, b ? a.difference(b) : a.clone(), a.isMember && b?.isMember !== true);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [pe, a] of this.children) {
      const b = other.children.get(pe);
      if (b) {
        out.attach(pe, a.intersection(b), a.isMember && b.isMember);
      }
    }
    return out;
  }

  /** Drops every path that equals or extends a member of `other`. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [pe, a] of this.children) {
      const b = other.children.get(pe);
      if (b?.isMember) {
        continue;
      }
      const sub = b ? a.recursiveDifference(b) : a.clone();
      sub.isMember = a.isMember;
      if (sub.isMember || sub.children.size > 0) {
        out.children.set(pe, sub);
      }
    }
    return out;
  }

  /** A deep copy of the children (the copy's own membership flag is left false). */
  clone(): FieldSet {
    const out = new FieldSet();
    for (const [pe, a] of this.children) {
      out.attach(pe, a.clone(), a.isMember);
    }
    return out;
  }

  /** All member paths, in serialization order. */
  paths(prefix: PathElement[] = [], out: PathElement[][] = []): PathElement[][] {
    for (const pe of [...this.children.keys()].sort(comparePathElements)) {
      const node = this.children.get(pe) as FieldSet;
      const path = [...prefix, pe];
      if (node.isMember) {
        out.push(path);
      }
      node.paths(path, out);
    }
    return out;
  }

  /** The fieldsV1 object: children sorted, `".": {}` for a member that also has children. */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    for (const pe of [...this.children.keys()].sort(comparePathElements)) {
      const node = this.children.get(pe) as FieldSet;
      const body = node.toFieldsV1();
      out[pe] = node.isMember && node.children.size > 0 ? { '.': {}, ...body } : body;
    }
    return out;
  }

  /** Parses fieldsV1; throws Error on malformed input. */
  static fromFieldsV1(value: unknown, depth = 0): FieldSet {
    if (!isObject(value)) {
      throw new Error('fieldsV1 must be an object');
    }
    if (depth > MAX_DEPTH) {
      throw new Error(`fieldsV1 exceeds max depth of ${MAX_DEPTH}`);
    }
    const set = new FieldSet();
    for (const [key, sub] of Object.entries(value)) {
      if (key === '.') {
        continue;
      }
      if (!/^[fkvi]:/.test(key)) {
        throw new Error(`unknown path element type: ${key}`);
      }
      const node = FieldSet.fromFieldsV1(sub, depth + 1);
      const subObj = sub as JsonObject;
      node.isMember = hasOwn(subObj, '.') || Object.keys(subObj).length === 0;
      set.children.set(key, node);
    }
    return set;
  }
}
