// The merge of an apply configuration into the live object, after structured-merge-diff's
// typed.Merge: granular structs and maps merge per field, associative lists per item key (in
// the order upstream produces), and atomic values and scalars are taken from the config.
import type { PathElement } from './field-set.js';
import { clone, hasOwn, isObject, setOwn, type JsonObject } from './json-value.js';
import { fieldType, UNTYPED, type ListNode, type TypeNode } from './schema.js';
import { isGranularFields, isGranularList, itemPEs } from './typed.js';

function mergeFields(l: JsonObject, r: JsonObject, node: TypeNode): JsonObject {
  const out: JsonObject = {};
  const dropNulls = node.kind !== 'untyped';
  for (const [key, lv] of Object.entries(l)) {
    setOwn(
      out,
      key,
      hasOwn(r, key) ? mergeValues(lv, r[key], fieldType(node, key) ?? UNTYPED) : lv,
    );
  }
  for (const [key, rv] of Object.entries(r)) {
    if (!hasOwn(l, key)) {
      setOwn(out, key, clone(rv));
    }
  }
  // A typed object cannot hold null: an applied null leaves the field unset.
  for (const key of Object.keys(out)) {
    if (dropNulls && out[key] === null) {
      delete out[key];
    }
  }
  return out;
}

interface Indexed {
  pes: PathElement[];
  byPE: Map<PathElement, unknown>;
}

function index(items: unknown[], pes: PathElement[]): Indexed {
  const byPE = new Map<PathElement, unknown>();
  items.forEach((item, i) => {
    const pe = pes[i] as PathElement;
    // Duplicated live items are not merged with the config; they are replaced by it.
    byPE.set(pe, byPE.has(pe) ? null : item);
  });
  return { pes, byPE };
}

/** Upstream's walk over two keyed lists: live-only items stay where they were. */
class ItemMerger {
  readonly out: unknown[] = [];
  private li = 0;
  private ri = 0;
  private readonly merged = new Set<PathElement>();
  private readonly shared: PathElement[];
  private sharedAt = 0;
  private nextShared: PathElement | undefined;

  constructor(
    private readonly live: unknown[],
    private readonly lhs: Indexed,
    private readonly rhs: Indexed,
    private readonly elem: TypeNode,
  ) {
    this.shared = rhs.pes.filter((pe) => lhs.byPE.has(pe));
    this.nextShared = this.shared[this.sharedAt++];
  }

  run(): unknown[] {
    while (this.li < this.lhs.pes.length || this.ri < this.rhs.pes.length) {
      const before = this.li + this.ri;
      this.step();
      if (this.li + this.ri === before) {
        this.li++; // cannot happen with consistent indexes; never loop forever
      }
    }
    return this.out;
  }

  private take(pe: PathElement): void {
    this.merged.add(pe);
    this.out.push(mergeValues(this.lhs.byPE.get(pe), this.rhs.byPE.get(pe), this.elem));
  }

  private step(): void {
    const lpe = this.lhs.pes[this.li];
    const rpe = this.rhs.pes[this.ri];
    if (lpe !== undefined && lpe === rpe) {
      this.take(lpe);
      this.li++;
      this.ri++;
      this.nextShared = this.shared[this.sharedAt++];
      return;
    }
    const inConfig = lpe !== undefined && this.rhs.byPE.has(lpe);
    if (inConfig && rpe !== undefined && this.nextShared !== undefined && this.nextShared !== lpe) {
      this.li++; // a shared item, but not the one due now
      return;
    }
    if (lpe !== undefined && !inConfig) {
      this.out.push(this.live[this.li]);
      this.li++;
      return;
    }
    if (lpe !== undefined && this.merged.has(lpe)) {
      this.li++;
    }
    if (rpe !== undefined) {
      this.take(rpe);
      this.ri++;
      if (this.nextShared === rpe) {
        this.nextShared = this.shared[this.sharedAt++];
      }
    }
  }
}

/** Merges two associative lists; lists whose items lack keys are taken from the config. */
function mergeItems(l: unknown[], r: unknown[], node: ListNode): unknown[] {
  const lPEs = itemPEs(node, l, false, []);
  const rPEs = itemPEs(node, r, false, []);
  if (!lPEs || !rPEs) {
    return clone(r);
  }
  return new ItemMerger(l, index(l, lPEs), index(r, rPEs), node.elem).run();
}

/** Merges config value `r` into live value `l`; either may be undefined (absent). */
export function mergeValues(l: unknown, r: unknown, node: TypeNode): unknown {
  if (r === undefined) {
    return l;
  }
  if (l === undefined || l === null) {
    return clone(r);
  }
  if (isObject(l) && isObject(r) && isGranularFields(node)) {
    return mergeFields(l, r, node);
  }
  if (Array.isArray(l) && Array.isArray(r) && isGranularList(node)) {
    return mergeItems(l, r, node);
  }
  return clone(r);
}

/** The live object with the apply configuration merged in. */
export function mergeObjects(live: JsonObject, config: JsonObject, node: TypeNode): JsonObject {
  return mergeFields(live, config, node);
}
