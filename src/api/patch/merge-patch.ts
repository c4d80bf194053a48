// JSON merge patch (RFC 7386, application/merge-patch+json), with the behaviour of the
// evanphx/json-patch v4 MergePatch that kube-apiserver's patch handler runs.
import { badRequest } from '../../lib/errors.js';
import {
  assertMaxDepth,
  clone,
  deleteOwn,
  getOwn,
  guarded,
  hasOwn,
  isObject,
  setOwn,
  type JsonObject,
} from './json-value.js';

// Upstream drops nulls from values that are newly added (objects and arrays alike), but keeps
// an array that replaces an existing value as it is.
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null).map(pruneNulls);
  }
  if (isObject(value)) {
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === null) {
        deleteOwn(value, key);
      } else {
        setOwn(value, key, pruneNulls(v));
      }
    }
  }
  return value;
}

function mergeValue(current: unknown, patch: unknown): unknown {
  if (!isObject(current)) {
    return pruneNulls(clone(patch));
  }
  if (!isObject(patch)) {
    return clone(patch);
  }
  return mergeObjects(current, patch);
}

function mergeObjects(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      deleteOwn(doc, key);
    } else if (!hasOwn(doc, key)) {
      setOwn(doc, key, pruneNulls(clone(value)));
    } else {
      setOwn(doc, key, mergeValue(getOwn(doc, key), value));
    }
  }
  return doc;
}

/**
 * Applies an RFC 7386 merge patch: objects merge recursively and `null` deletes. The patch must
 * be an object (upstream answers 400 `Invalid JSON Patch` otherwise); inputs are not mutated.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return guarded('merge patch', () => {
    assertMaxDepth(patch, 'merge patch');
    assertMaxDepth(target, 'merge patch target');
    if (!isObject(patch)) {
      // Upstream turns a top-level array into the whole document and then fails to decode it;
      // a scalar or null is its ErrBadJSONPatch. We answer the 400 for all of them.
      throw badRequest('Invalid JSON Patch');
    }
    if (!isObject(target)) {
      return pruneNulls(clone(patch));
    }
    return mergeObjects(clone(target), patch);
  });
}
