// Server-side apply's conflict errors (worded as apiserver's fieldmanager words them) and the
// handling of kubectl's client-side last-applied annotation when kubectl switches to
// server-side apply (upstream's lastAppliedManager and lastAppliedUpdater).
import { ApiError } from '../../lib/errors.js';
import { pathToString, type FieldSet, type PathElement } from './field-set.js';
import { assertMaxDepth, clone, goJson, hasOwn, isObject, type JsonObject } from './json-value.js';
import { managerIdentifier, printManager, type ManagerEntry } from './managed-fields-codec.js';
import type { TypeNode } from './schema.js';
import { toFieldSet } from './typed.js';
import { compareObjects } from './typed-compare.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface Conflict {
  entry: ManagerEntry;
  path: PathElement[];
}

function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** The 409 for conflicts, sorted by manager; one conflict gets the short wording. */
export function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: pathToString(c.path),
  }));
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    const message = `Apply failed with 1 conflict: conflict with ${printManager(only.entry)}: ${pathToString(only.path)}`;
    return new ApiError(409, 'Conflict', message, { causes });
  }
  const lines: string[] = [];
  let lastId: string | undefined;
  for (const c of conflicts) {
    const id = managerIdentifier(c.entry);
    if (id !== lastId) {
      lines.push(`conflicts with ${printManager(c.entry)}:`);
      lastId = id;
    }
    lines.push(`- ${pathToString(c.path)}`);
  }
  return new ApiError(
    409,
    'Conflict',
    `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`,
    { causes },
  );
}

/** Fields of kubectl's last-applied annotation that still match the live object. */
export function allowedFromLastApplied(
  live: JsonObject | undefined,
  apiVersion: string,
  node: TypeNode,
): FieldSet | undefined {
  const annotations = asObject(asObject(live?.metadata).annotations);
  const raw = annotations[LAST_APPLIED_ANNOTATION];
  if (typeof raw !== 'string' || raw === '') {
    return undefined;
  }
  try {
    const lastApplied = JSON.parse(raw) as unknown;
    if (!isObject(lastApplied) || lastApplied.apiVersion !== apiVersion) {
      return undefined;
    }
    assertMaxDepth(lastApplied, 'last-applied-configuration');
    const cmp = compareObjects(lastApplied, live, node);
    return toFieldSet(lastApplied, node, true)
      .difference(cmp.modified)
      .difference(cmp.added)
      .difference(cmp.removed);
  } catch {
    return undefined;
  }
}

/** kubectl's server-side apply keeps its client-side last-applied annotation in step. */
export function syncLastApplied(result: JsonObject, applied: unknown, manager: string): void {
  const annotations = asObject(result.metadata).annotations;
  if (
    manager !== 'kubectl' ||
    !isObject(annotations) ||
    typeof annotations[LAST_APPLIED_ANNOTATION] !== 'string' ||
    annotations[LAST_APPLIED_ANNOTATION] === ''
  ) {
    return;
  }
  const copy = asObject(clone(applied));
  const appliedAnnotations = asObject(copy.metadata).annotations;
  if (isObject(appliedAnnotations) && hasOwn(appliedAnnotations, LAST_APPLIED_ANNOTATION)) {
    delete appliedAnnotations[LAST_APPLIED_ANNOTATION];
  }
  annotations[LAST_APPLIED_ANNOTATION] = `${goJson(copy)}\n`;
}
