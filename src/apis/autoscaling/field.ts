// Small readers for loosely typed JSON API objects (Go zero values for absent fields) and the
// immutability check, shared by the autoscaling, networking, policy, discovery, events and
// coordination strategies. Error wording lives in ../validation/field-error.ts.
import type { FieldError } from '../../lib/errors.js';
import { deepEqual } from '../validation/equality.js';
import { invalid } from '../validation/field-error.js';
import { FIELD_IMMUTABLE } from '../validation/object-meta.js';

/** The value as a plain object, or undefined when it is not one. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The value as an array, or an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string field the way Go decodes it (absent -> ''). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A number field the way Go decodes it (absent -> 0). */
export function int(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** apivalidation.ValidateImmutableField: `Invalid value: <new>: field is immutable`. */
export function validateImmutable(
  field: string,
  next: unknown,
  old: unknown,
  shown: unknown = next,
): FieldError[] {
  return deepEqual(next, old) ? [] : [invalid(field, shown, FIELD_IMMUTABLE)];
}
