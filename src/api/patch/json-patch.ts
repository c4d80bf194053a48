// JSON patch (RFC 6902, application/json-patch+json) as kube-apiserver applies it: decoding
// errors are 400, too many operations 413, and every failure while applying is the generic 422.
// Paths are resolved here with upstream's semantics; fast-json-patch performs the mutations.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ApiError, badRequest } from '../../lib/errors.js';
import {
  containerGet,
  existingIndex,
  findObject,
  insertIndex,
  JsonPatchOpError,
  MISSING,
  objectHas,
  pointerTo,
  type Location,
} from './json-pointer.js';
import {
  assertMaxDepth,
  clone,
  deepEqual,
  getOwn,
  goJsonKind,
  guarded,
  hasOwn,
  isObject,
  type JsonObject,
} from './json-value.js';

/** Upstream's maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** Upstream's default JSONPatchMaxCopyBytes: bounds how much `copy` operations may add. */
export const JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

export interface JsonPatchOptions {
  /** fieldValidation=Strict or Warn: decode errors take the strict decoder's wording. */
  strict?: boolean;
}

type Doc = JsonObject | unknown[];
interface State {
  doc: Doc;
  copiedBytes: number;
}

/** The 422 upstream answers for any failure while applying (it drops the detailed message). */
function applyFailed(cause: unknown): ApiError {
  const err = new ApiError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
  err.cause = cause;
  return err;
}

function decodeStrict(ops: unknown): void {
  const fail = (what: string): never => {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${what}`);
  };
  if (ops === null) {
    return;
  }
  if (!Array.isArray(ops)) {
    fail(`${goJsonKind(ops)} into Go value of type []handlers.jsonPatchOp`);
  }
  for (const op of ops as unknown[]) {
    if (op !== null && !isObject(op)) {
      fail(`${goJsonKind(op)} into Go value of type handlers.jsonPatchOp`);
    }
    for (const field of isObject(op) ? ['op', 'path', 'from'] : []) {
      const v = getOwn(op as JsonObject, field);
      if (v !== undefined && v !== null && typeof v !== 'string') {
        fail(`${goJsonKind(v)} into Go struct field jsonPatchOp.${field} of type string`);
      }
    }
  }
}

function decode(ops: unknown, options: JsonPatchOptions): JsonObject[] {
  if (options.strict) {
    decodeStrict(ops);
  }
  if (ops === null) {
    return [];
  }
  if (!Array.isArray(ops)) {
    throw badRequest(
      `json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`,
    );
  }
  return ops.map((op: unknown) => {
    if (op === null) {
      return {};
    }
    if (!isObject(op)) {
      throw badRequest(
        `json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`,
      );
    }
    return op;
  });
}

function stringField(op: JsonObject, field: 'path' | 'from', what: string): string {
  const v = getOwn(op, field);
  if (v === undefined || v === null) {
    throw new JsonPatchOpError(`${what} operation failed to decode ${field}: ${MISSING}`);
  }
  if (typeof v !== 'string') {
    throw new JsonPatchOpError(
      `${what} operation failed to decode ${field}: json: cannot unmarshal ${goJsonKind(v)} into Go value of type string`,
    );
  }
  return v;
}

function locate(state: State, path: string, message: string): Location {
  const loc = findObject(state.doc, path);
  if (!loc) {
    throw new JsonPatchOpError(`${message}: ${path}: ${MISSING}`);
  }
  return loc;
}

function run(state: State, op: Operation): void {
  try {
    jsonpatch.applyOperation(state.doc, op, false, true, true);
  } catch (err) {
    // fast-json-patch refuses `__proto__` path segments; upstream has no such key to refuse.
    throw new JsonPatchOpError(err instanceof Error ? err.message : String(err));
  }
}

function addAt(state: State, loc: Location, value: unknown): void {
  const c = loc.container;
  const key = Array.isArray(c) ? insertIndex(c, loc.key) : loc.key;
  run(state, { op: 'add', path: pointerTo(loc, key), value });
}

function removeAt(state: State, loc: Location): void {
  const c = loc.container;
  if (!Array.isArray(c) && !objectHas(c, loc.key)) {
    throw new JsonPatchOpError(`Unable to remove nonexistent key: ${loc.key}: ${MISSING}`);
  }
  const key = Array.isArray(c) ? existingIndex(c, loc.key) : loc.key;
  run(state, { op: 'remove', path: pointerTo(loc, key) });
}

function opValue(op: JsonObject): unknown {
  return getOwn(op, 'value') ?? null;
}

function replaceOp(state: State, op: JsonObject): void {
  const path = stringField(op, 'path', 'replace');
  const value = opValue(op);
  if (path === '') {
    if (!Array.isArray(value) && !isObject(value)) {
      throw new JsonPatchOpError('replace operation value must be object or array: %!w(<nil>)');
    }
    state.doc = clone(value);
    return;
  }
  const loc = locate(state, path, 'replace operation does not apply: doc is missing path');
  const c = loc.container;
  let key: string | number = loc.key;
  if (Array.isArray(c)) {
    try {
      key = existingIndex(c, loc.key);
    } catch {
      throw new JsonPatchOpError(`replace operation does not apply: doc is missing key: ${path}`);
    }
  }
  run(state, { op: 'replace', path: pointerTo(loc, key), value: clone(value) });
}

function testOp(state: State, op: JsonObject): void {
  const path = stringField(op, 'path', 'test');
  const expected = opValue(op);
  const failed = new JsonPatchOpError(`testing value ${path} failed: test failed`);
  if (path === '') {
    if (!deepEqual(state.doc, expected)) {
      throw failed;
    }
    return;
  }
  const loc = locate(state, path, 'test operation does not apply: is missing path');
  const actual = containerGet(loc.container, loc.key) ?? null;
  if (!deepEqual(actual, expected)) {
    throw failed;
  }
}

function copyOp(state: State, op: JsonObject): void {
  const from = stringField(op, 'from', 'copy');
  const source = locate(state, from, 'copy operation does not apply: doc is missing from path');
  const value = clone(containerGet(source.container, source.key) ?? null);
  state.copiedBytes += Buffer.byteLength(JSON.stringify(value));
  if (state.copiedBytes > JSON_PATCH_MAX_COPY_BYTES) {
    throw new JsonPatchOpError(
      `Unable to complete the copy, the accumulated size increase of copy is ${state.copiedBytes}, exceeding the limit ${JSON_PATCH_MAX_COPY_BYTES}`,
    );
  }
  const path = stringField(op, 'path', 'copy');
  const target = locate(state, path, 'copy operation does not apply: doc is missing destination');
  addAt(state, target, value);
}

function moveOp(state: State, op: JsonObject): void {
  const from = stringField(op, 'from', 'move');
  const source = locate(state, from, 'move operation does not apply: doc is missing from path');
  const value = containerGet(source.container, source.key) ?? null;
  removeAt(state, source);
  // The destination is resolved after the removal, as upstream does.
  const path = stringField(op, 'path', 'move');
  const target = locate(state, path, 'move operation does not apply: doc is missing destination');
  addAt(state, target, value);
}

function applyOne(state: State, op: JsonObject): void {
  const kind = getOwn(op, 'op');
  switch (kind) {
    case 'add': {
      const path = stringField(op, 'path', 'add');
      const loc = locate(state, path, 'add operation does not apply: doc is missing path');
      addAt(state, loc, clone(opValue(op)));
      return;
    }
    case 'remove': {
      const path = stringField(op, 'path', 'remove');
      removeAt(state, locate(state, path, 'remove operation does not apply: doc is missing path'));
      return;
    }
    case 'replace':
      return replaceOp(state, op);
    case 'move':
      return moveOp(state, op);
    case 'copy':
      return copyOp(state, op);
    case 'test':
      return testOp(state, op);
    default:
      throw new JsonPatchOpError(
        `Unexpected kind: ${typeof kind === 'string' && hasOwn(op, 'op') ? kind : 'unknown'}`,
      );
  }
}

/**
 * Applies an RFC 6902 operation list to a copy of `target`. Throws ApiError 400 for an
 * undecodable list, 413 beyond 10000 operations, 422 when an operation fails.
 */
export function applyJsonPatch(
  target: unknown,
  ops: unknown,
  options: JsonPatchOptions = {},
): unknown {
  return guarded('json patch', () => {
    const list = decode(ops, options);
    if (list.length > MAX_JSON_PATCH_OPERATIONS) {
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${list.length}`,
      );
    }
    assertMaxDepth(ops, 'json patch');
    assertMaxDepth(target, 'json patch target');
    if (!Array.isArray(target) && !isObject(target)) {
      throw applyFailed(new JsonPatchOpError('the target document is not an object'));
    }
    const state: State = { doc: clone(target), copiedBytes: 0 };
    for (const op of list) {
      try {
        applyOne(state, op);
      } catch (err) {
        throw err instanceof JsonPatchOpError ? applyFailed(err) : err;
      }
    }
    assertMaxDepth(state.doc, 'json patch result');
    return state.doc;
  });
}
