// Shared pieces of the strategic merge patch: its error type (mapped to the status codes of
// apiserver's interpretStrategicMergePatchError), directive names and directive clean-up.
import { ApiError } from '../../lib/errors.js';
import { deleteOwn, goFormat, hasOwn, isObject, setOwn, type JsonObject } from './json-value.js';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

/** How upstream answers an error: 400, the generic 422, or a plain error (500, no reason). */
export type SmpErrorClass = 'badRequest' | 'invalid' | 'internal';

export class SmpError extends Error {
  override name = 'SmpError';
  constructor(
    readonly errorClass: SmpErrorClass,
    message: string,
  ) {
    super(message);
  }
}

export const errBadPatchFormatForPrimitiveList = (): SmpError =>
  new SmpError('badRequest', 'invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): SmpError =>
  new SmpError('badRequest', 'invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): SmpError =>
  new SmpError('badRequest', 'invalid patch format of setElementOrder list');
export const errNoListOfLists = (): SmpError =>
  new SmpError('invalid', 'lists of lists are not supported');
export const errNoMergeKey = (m: JsonObject, key: string): SmpError =>
  new SmpError('internal', `map: ${goFormat(m)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (t: unknown, m: JsonObject): SmpError =>
  new SmpError('internal', `unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);

/** The name reflect.TypeOf prints for a decoded JSON value. */
export function goTypeName(value: unknown): string {
  if (Array.isArray(value)) {
    return '[]interface {}';
  }
  if (isObject(value)) {
    return 'map[string]interface {}';
  }
  if (typeof value === 'string') {
    return 'string';
  }
  if (typeof value === 'boolean') {
    return 'bool';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'int64' : 'float64';
  }
  return '%!s(<nil>)';
}

export function errBadArgType(expected: 'map' | 'list', actual: unknown): SmpError {
  const want = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return new SmpError('internal', `expected a ${want}, but received a ${goTypeName(actual)}`);
}

/** Converts an engine error into the ApiError kube-apiserver answers with. */
export function toApiError(err: SmpError): ApiError {
  switch (err.errorClass) {
    case 'badRequest':
      return new ApiError(400, 'BadRequest', err.message);
    case 'invalid': {
      const apiErr = new ApiError(
        422,
        'Invalid',
        'the server rejected our request due to an error in our request',
        {},
      );
      apiErr.cause = err;
      return apiErr;
    }
    case 'internal':
      return new ApiError(500, '', err.message);
  }
}

function isDirectiveKey(key: string): boolean {
  return (
    key === RETAIN_KEYS ||
    key.startsWith(`${SET_ELEMENT_ORDER}/`) ||
    key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`)
  );
}

/**
 * Prepares a patch value that is stored as is (a new key, a replaced list): drops null map
 * values, maps carrying `$patch`, and parallel-list directives. Returns undefined when the value
 * itself is a directive and must not be kept. Mutates `value` (callers pass patch copies).
 */
export function cleanNewValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const cleaned = cleanNewValue(item);
      if (cleaned !== undefined) {
        out.push(cleaned);
      }
    }
    return out;
  }
  if (!isObject(value)) {
    return value;
  }
  if (hasOwn(value, DIRECTIVE)) {
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const cleaned =
      value[key] === null || isDirectiveKey(key) ? undefined : cleanNewValue(value[key]);
    if (cleaned === undefined) {
      deleteOwn(value, key);
    } else {
      setOwn(value, key, cleaned);
    }
  }
  return value;
}
