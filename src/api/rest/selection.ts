// Label and field selection of objects for list, watch and deletecollection.
import type { KubeObject } from '../../apis/meta.js';
import type { ResourceType } from '../../apis/resource-type.js';
import { badRequest } from '../../lib/errors.js';
import { matchesFields, parseFieldSelector } from '../../lib/fields.js';
import { parseLabelSelector } from '../../lib/labels.js';

export type ObjectPredicate = (obj: KubeObject) => boolean;

/** Compiles `labelSelector` and `fieldSelector` query values into one predicate. */
export function compileSelection(
  rt: ResourceType,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): ObjectPredicate | undefined {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fields) {
    for (const req of fields) {
      if (!fieldGetter(rt, req.field)) {
        throw badRequest(`field label not supported: ${req.field}`);
      }
    }
  }
  if ((!labels || labels.isEmpty()) && (!fields || fields.length === 0)) {
    return undefined;
  }
  return (obj) => {
    if (labels && !labels.matches(obj.metadata.labels)) {
      return false;
    }
    if (fields) {
      return matchesFields(fields, (path) => fieldGetter(rt, path)?.(obj));
    }
    return true;
  };
}

function fieldGetter(
  rt: ResourceType,
  path: string,
): ((obj: KubeObject) => string | undefined) | undefined {
  if (path === 'metadata.name') {
    return (obj) => obj.metadata.name ?? '';
  }
  if (path === 'metadata.namespace') {
    return (obj) => obj.metadata.namespace ?? '';
  }
  return rt.fieldSelectors?.[path];
}
