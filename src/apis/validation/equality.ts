// Deep equality and a readable difference of JSON values, for immutability checks. Like
// apimachinery's semantic equality, absent, null, empty string, empty list and empty map are equal.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') {
    return true;
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  return isRecord(v) && Object.keys(v).every((k) => v[k] === undefined);
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => !isEmpty(o[k]));
}

/** Structural equality of JSON-like values, treating all empty values as equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b || (isEmpty(a) && isEmpty(b))) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = definedKeys(a);
    const kb = definedKeys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function render(v: unknown): string {
  return v === undefined ? '<unset>' : JSON.stringify(v);
}

/** The changed leaves between two JSON values, as `- path: old` / `+ path: new` lines. */
export function jsonDiff(oldValue: unknown, newValue: unknown, path = ''): string[] {
  if (deepEqual(oldValue, newValue)) {
    return [];
  }
  if (isRecord(oldValue) && isRecord(newValue)) {
    const keys = [...new Set([...definedKeys(oldValue), ...definedKeys(newValue)])].sort();
    return keys.flatMap((k) => jsonDiff(oldValue[k], newValue[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(oldValue) && Array.isArray(newValue) && oldValue.length === newValue.length) {
    return oldValue.flatMap((x, i) => jsonDiff(x, newValue[i], `${path}[${i}]`));
  }
  return [`- \t${path}: ${render(oldValue)}`, `+ \t${path}: ${render(newValue)}`];
}
