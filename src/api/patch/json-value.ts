// JSON value helpers shared by the patch engines: own-property access that is safe for keys such
// as `__proto__`, the nesting-depth guard, deep equality, and Go-style formatting for messages
// that Kubernetes builds with fmt's %v and encoding/json.
import { ApiError } from '../../lib/errors.js';

export type JsonObject = Record<string, unknown>;

/** Deepest nesting we accept in a patch, a target or a result (containers counted, not scalars). */
export const MAX_DEPTH = 100;

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Reads an own property only, so `__proto__` or `constructor` never reach the prototype chain. */
export function getOwn(obj: JsonObject, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

/** Writes an own data property; a plain assignment to `__proto__` would replace the prototype. */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

export function deleteOwn(obj: JsonObject, key: string): void {
  if (hasOwn(obj, key)) {
    delete obj[key];
  }
}

/** The 400 answered for documents nested deeper than MAX_DEPTH. */
export function tooDeep(what: string): ApiError {
  return new ApiError(400, 'BadRequest', `${what}: exceeded max depth of ${MAX_DEPTH}`);
}

/** Throws a 400 when `value` nests deeper than MAX_DEPTH; iterative, so it cannot overflow. */
export function assertMaxDepth(value: unknown, what: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (depth + 1 > MAX_DEPTH) {
      throw tooDeep(what);
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) {
        stack.push([child, depth + 1]);
      }
    }
  }
}

/**
 * Runs `fn`, turning a stack overflow (possible only if a guard was missed) into a 400 instead of
 * a crash; ApiErrors pass through.
 */
export function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) {
      throw tooDeep(what);
    }
    throw err;
  }
}

/** Structural equality of two JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** A deep copy that never shares structure with its input. */
export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Name of a JSON value's kind the way Go's json package reports it in type errors. */
export function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return 'object';
  }
  if (typeof value === 'boolean') {
    return 'bool';
  }
  return typeof value === 'number' ? 'number' : 'string';
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    return n.toFixed(0);
  }
  // Go prints at least two exponent digits: 1e-07, 1e+21.
  return String(n).replace(
    /e([+-])(\d)$/,
    (_m, sign: string, digit: string) => `e${sign}0${digit}`,
  );
}

/** Formats a decoded JSON value like Go's `%v` (maps as `map[k:v]` with sorted keys). */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) {
    return '<nil>';
  }
  if (Array.isArray(value)) {
    return `[${value.map(goFormat).join(' ')}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(value[k])}`).join(' ')}]`;
  }
  if (typeof value === 'number') {
    return goNumber(value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Go's `%q` for a string: JSON-like quoting, which is close enough for messages. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Encodes like Go's encoding/json on unstructured data: sorted keys, HTML-safe escapes. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(goJson).join(',')}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') {
    return goJsonString(value);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
