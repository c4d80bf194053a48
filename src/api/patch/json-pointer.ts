// JSON Pointer resolution with the semantics of evanphx/json-patch v4, the library behind
// kube-apiserver's application/json-patch+json: negative array indices, Go's strconv.Atoi for
// index parsing, and the container/key split its operations work on.
import { getOwn, hasOwn, isObject, type JsonObject } from './json-value.js';

/** A failure while applying one operation; its message follows the upstream library. */
export class JsonPatchOpError extends Error {
  override name = 'JsonPatchOpError';
}

export const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** A resolved parent container and the decoded key inside it. */
export interface Location {
  container: JsonObject | unknown[];
  key: string;
  /** Canonical, escaped pointer to the container (array indices made non-negative). */
  pointer: string;
}

function decodeKey(part: string): string {
  return part.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

function encodeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Go's strconv.Atoi: optional sign and decimal digits, within int64. */
export function goAtoi(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) {
    throw new JsonPatchOpError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw new JsonPatchOpError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return n;
}

export function invalidIndex(idx: bigint): JsonPatchOpError {
  return new JsonPatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
}

/** Index of an existing element (get, replace, remove); negative counts from the end. */
export function existingIndex(arr: unknown[], key: string): number {
  const idx = goAtoi(key);
  const len = BigInt(arr.length);
  if (idx >= len || idx < -len) {
    throw invalidIndex(idx);
  }
  return Number(idx < 0n ? idx + len : idx);
}

/** Index at which `add` inserts; `-` appends. */
export function insertIndex(arr: unknown[], key: string): number {
  if (key === '-') {
    return arr.length;
  }
  let idx: bigint;
  try {
    idx = goAtoi(key);
  } catch (err) {
    throw new JsonPatchOpError(
      `value was not a proper array index: '${key}': ${(err as Error).message}`,
    );
  }
  const size = BigInt(arr.length + 1);
  if (idx >= size || idx < -size) {
    throw invalidIndex(idx);
  }
  return Number(idx < 0n ? idx + size : idx);
}

/** Reads `key` of a container: undefined for an absent object key, throws for a bad index. */
export function containerGet(container: JsonObject | unknown[], key: string): unknown {
  if (Array.isArray(container)) {
    return container[existingIndex(container, key)];
  }
  return getOwn(container, key);
}

/**
 * Splits `path` into its parent container and last key, or undefined when the parent is
 * missing (upstream's "doc is missing path"). Like upstream, everything before the first `/`
 * is ignored and `""` has no parent.
 */
export function findObject(doc: JsonObject | unknown[], path: string): Location | undefined {
  const parts = path.split('/');
  if (parts.length < 2) {
    return undefined;
  }
  let current: JsonObject | unknown[] = doc;
  let pointer = '';
  for (const raw of parts.slice(1, -1)) {
    const key = decodeKey(raw);
    let next: unknown;
    let canonical = key;
    if (Array.isArray(current)) {
      let idx: number;
      try {
        idx = existingIndex(current, key);
      } catch {
        return undefined;
      }
      next = current[idx];
      canonical = String(idx);
    } else {
      next = getOwn(current, key);
    }
    if (!Array.isArray(next) && !isObject(next)) {
      return undefined;
    }
    current = next;
    pointer += `/${encodeKey(canonical)}`;
  }
  return { container: current, key: decodeKey(parts[parts.length - 1] ?? ''), pointer };
}

/** The canonical pointer for `key` inside a resolved location (for fast-json-patch). */
export function pointerTo(loc: Location, key: string | number): string {
  return `${loc.pointer}/${encodeKey(String(key))}`;
}

/** True when the object container has `key` as an own property. */
export function objectHas(container: JsonObject, key: string): boolean {
  return hasOwn(container, key);
}
