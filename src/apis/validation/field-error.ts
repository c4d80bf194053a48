// Field error constructors and field paths with Kubernetes' exact wording
// (apimachinery util/validation/field: Required, Invalid, NotSupported, Duplicate, ...).
import type { FieldError } from '../../lib/errors.js';
import { errorValue, goQuote } from './go-format.js';

/** `metadata` + `name` → `metadata.name`; an empty parent yields the bare name. */
export function child(path: string, ...names: string[]): string {
  let out = path;
  for (const name of names) {
    out = out ? `${out}.${name}` : name;
  }
  return out;
}

/** `spec.containers` + 0 → `spec.containers[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** `spec.resources.limits` + `cpu` → `spec.resources.limits[cpu]` (Go's Path.Key, unquoted). */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** `Required value[: detail]`. */
export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail: withDetail('Required value', detail) };
}

/** `Invalid value: <value>[: detail]`. */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return {
    type: 'FieldValueInvalid',
    field,
    detail: withDetail(`Invalid value: ${errorValue(value)}`, detail),
  };
}

/** `Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(
  field: string,
  value: unknown,
  supported: readonly string[],
): FieldError {
  const detail = supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '';
  return {
    type: 'FieldValueNotSupported',
    field,
    detail: withDetail(`Unsupported value: ${errorValue(value)}`, detail),
  };
}

/** `Duplicate value: <value>`. */
export function duplicate(field: string, value: unknown, detail = ''): FieldError {
  return {
    type: 'FieldValueDuplicate',
    field,
    detail: withDetail(`Duplicate value: ${errorValue(value)}`, detail),
  };
}

/** `Forbidden[: detail]`. */
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: withDetail('Forbidden', detail) };
}

/** `Too long: may not be more than N bytes`. */
export function tooLong(field: string, maxLength: number): FieldError {
  const msg = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return { type: 'FieldValueTooLong', field, detail: `Too long: ${msg}` };
}

/** `Too many: <n>: must have at most N items`. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  return {
    type: 'FieldValueTooMany',
    field,
    detail: `Too many: ${actual}: must have at most ${max} items`,
  };
}

// lib/errors.ts does not list FieldValueNotFound yet; the reason string is what clients see.
const NOT_FOUND = 'FieldValueNotFound' as string as FieldError['type'];

/** `Not found: <value>[: detail]` (reason FieldValueNotFound). */
export function notFound(field: string, value: unknown, detail = ''): FieldError {
  return { type: NOT_FOUND, field, detail: withDetail(`Not found: ${errorValue(value)}`, detail) };
}

/** Drops repeated `field: detail` pairs, as upstream's ErrorList.ToAggregate does. */
export function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.field}: ${e.detail}`;
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}
