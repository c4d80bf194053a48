// Validation of a storage-version object before it is written: metadata, the kind's strategy,
// and the request's field validation (unknown fields, wrong types).
import type { KubeObject } from '../../apis/meta.js';
import { parseApiVersion } from '../../apis/meta.js';
import type { ResourceType } from '../../apis/resource-type.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../apis/validation/object-meta.js';
import type { FieldError } from '../../lib/errors.js';
import { badRequest, invalid } from '../../lib/errors.js';
import {
  decodeErrorMessage,
  strictDecodingMessage,
  strictWarnings,
} from '../../apis/schema/index.js';
import type { FieldChecker, FieldValidation } from './context.js';

/** Throws 422 Invalid listing every problem with obj (and its change from old). */
export function validateObject(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  const errors: FieldError[] = [];
  if (!rt.strategy.validatesMetadata) {
    errors.push(
      ...validateObjectMeta(obj.metadata, {
        namespaced: rt.namespaced,
        nameRule: rt.nameRule ?? 'dns1123-subdomain',
      }),
    );
    if (old) {
      errors.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
    }
  }
  errors.push(...(rt.strategy.validate?.(obj) ?? []));
  if (old) {
    errors.push(...(rt.strategy.validateUpdate?.(obj, old) ?? []));
  }
  if (errors.length > 0) {
    // validate and validateUpdate may report the same problem; upstream lists it once.
    const seen = new Set<string>();
    const unique = errors.filter((e) => {
      const id = `${e.type}\u0000${e.field}\u0000${e.detail}`;
      return seen.has(id) ? false : (seen.add(id), true);
    });
    throw invalid({ group: rt.group, kind: rt.kind }, obj.metadata.name ?? '', unique);
  }
}

/**
 * Applies `fieldValidation` to a decoded request body (before conversion): Strict rejects unknown
 * and duplicate fields with 400, Warn turns them into warnings, Ignore drops them silently.
 */
export function checkRequestFields(opts: {
  rt: ResourceType;
  version: string;
  body: unknown;
  duplicates: string[];
  mode: FieldValidation;
  checker: FieldChecker | undefined;
  warnings: string[];
}): void {
  const { rt, body, mode } = opts;
  const apiVersion = (body as { apiVersion?: unknown }).apiVersion;
  const version =
    typeof apiVersion === 'string' ? parseApiVersion(apiVersion).version : opts.version;
  const gvk = { group: rt.group, version, kind: rt.kind };
  // Warn and Ignore drop unknown fields before storing, as upstream's decoder does.
  const result = opts.checker?.(gvk, body, mode !== 'Strict') ?? {
    unknownFields: [],
    typeErrors: [],
  };
  const [typeError] = result.typeErrors;
  if (typeError !== undefined) {
    throw badRequest(decodeErrorMessage(gvk, typeError));
  }
  if (mode === 'Ignore') {
    return;
  }
  const unknown = result.unknownFields;
  if (mode === 'Strict' && (unknown.length > 0 || opts.duplicates.length > 0)) {
    throw badRequest(decodeErrorMessage(gvk, strictDecodingMessage(unknown, opts.duplicates)));
  }
  opts.warnings.push(...strictWarnings(unknown, opts.duplicates));
}
