// ObjectMeta validation on create and update (apimachinery pkg/api/validation/objectmeta.go plus
// core's extra finalizer rule), with the same paths and messages as the real API server.
import type { FieldError } from '../../lib/errors.js';
import type { ObjectMeta } from '../meta.js';
import { child, forbidden, invalid, required, tooLong } from './field-error.js';
import { goRepr, goStringSlice } from './go-format.js';
import { validateLabels, validateQualifiedName } from './labels.js';
import { validateFinalizers, validateOwnerReferences } from './owners-finalizers.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
} from './validators.js';

export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

// A generateName gets a suffix appended, so a trailing dash is fine there. Upstream masks the
// last two characters (not one); kept for identical results.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

function pathSegmentName(name: string, prefix: boolean): string[] {
  if (!prefix && (name === '.' || name === '..')) {
    return [`may not be '${name}'`];
  }
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** Checks a name (or a generateName when `prefix`) against one of the upstream name rules. */
export function validateName(rule: NameRule, name: string, prefix = false): string[] {
  const n = prefix ? maskTrailingDash(name) : name;
  switch (rule) {
    case 'dns1123-subdomain':
      return isDNS1123Subdomain(n);
    case 'dns1123-label':
      return isDNS1123Label(n);
    case 'dns1035-label':
      return isDNS1035Label(n);
    case 'path-segment':
      return pathSegmentName(name, prefix);
  }
}

/** `Invalid value: -1: must be greater than or equal to 0` when value < 0. */
export function validateNonnegativeField(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [invalid(path, value, IS_NEGATIVE)] : [];
}

/** Annotation keys are qualified names (case-insensitive); total size at most 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((m) => invalid(path, k, m)));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  }
  return errs;
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
}

/** Validates metadata of an object being created (run on updates too, as upstream does). */
export function validateObjectMeta(
  meta: ObjectMeta,
  opts: ObjectMetaOptions,
  path = 'metadata',
): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    const p = child(path, 'generateName');
    errs.push(
      ...validateName(opts.nameRule, meta.generateName, true).map((m) =>
        invalid(p, meta.generateName, m),
      ),
    );
  }
  if (!meta.name) {
    errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    const p = child(path, 'name');
    errs.push(...validateName(opts.nameRule, meta.name).map((m) => invalid(p, meta.name, m)));
  }
  const nsPath = child(path, 'namespace');
  if (opts.namespaced && !meta.namespace) {
    errs.push(required(nsPath));
  } else if (opts.namespaced && meta.namespace) {
    errs.push(...isDNS1123Label(meta.namespace).map((m) => invalid(nsPath, meta.namespace, m)));
  } else if (meta.namespace) {
    errs.push(forbidden(nsPath, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation, child(path, 'generation')));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

/** metav1.Time as Go's time.Time.String() prints it (UTC). */
export function goTime(rfc3339: string | undefined): unknown {
  if (!rfc3339) {
    return rfc3339 === undefined ? undefined : goRepr('0001-01-01 00:00:00 +0000 UTC');
  }
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) {
    return rfc3339;
  }
  const iso = d.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return goRepr(`${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`);
}

function noNewFinalizers(meta: ObjectMeta, old: ObjectMeta, path: string): FieldError[] {
  const before = new Set(old.finalizers ?? []);
  const added = [...new Set(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  if (!old.deletionTimestamp || added.length === 0) {
    return [];
  }
  return [
    forbidden(
      child(path, 'finalizers'),
      `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added).text}`,
    ),
  ];
}

// Each immutable field: how to compare it and how upstream prints the new value.
const IMMUTABLE_FIELDS: [
  keyof ObjectMeta,
  (m: ObjectMeta) => unknown,
  (m: ObjectMeta) => unknown,
][] = [
  ['name', (m) => m.name ?? '', (m) => m.name ?? ''],
  ['namespace', (m) => m.namespace ?? '', (m) => m.namespace ?? ''],
  ['uid', (m) => m.uid ?? '', (m) => m.uid ?? ''],
  [
    'creationTimestamp',
    (m) => timeKey(m.creationTimestamp),
    (m) => goTime(m.creationTimestamp ?? ''),
  ],
  ['deletionTimestamp', (m) => timeKey(m.deletionTimestamp), (m) => goTime(m.deletionTimestamp)],
  [
    'deletionGracePeriodSeconds',
    (m) => m.deletionGracePeriodSeconds,
    (m) => m.deletionGracePeriodSeconds,
  ],
];

/**
 * The update-only metadata rules: immutable identity fields, generation never decremented, no
 * new finalizers once deleting. Combine with {@link validateObjectMeta} on the new object. The
 * resourceVersion-required rule is left to the API layer, which fills it for unconditional updates.
 */
export function validateObjectMetaUpdate(
  meta: ObjectMeta,
  old: ObjectMeta,
  path = 'metadata',
): FieldError[] {
  const errs = noNewFinalizers(meta, old, path);
  if ((meta.generation ?? 0) < (old.generation ?? 0)) {
    errs.push(invalid(child(path, 'generation'), meta.generation ?? 0, 'must not be decremented'));
  }
  for (const [field, compared, shown] of IMMUTABLE_FIELDS) {
    if (compared(meta) !== compared(old)) {
      errs.push(invalid(child(path, field), shown(meta), FIELD_IMMUTABLE));
    }
  }
  return errs;
}

// Timestamps compare by instant, at second precision, as metav1.Time does.
function timeKey(s: string | undefined): number | undefined {
  if (!s) {
    return undefined;
  }
  const ms = new Date(s).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export { validateLabels, validateQualifiedName };
export {
  goOwnerReference,
  validateFinalizerName,
  validateFinalizers,
  validateOwnerReferences,
} from './owners-finalizers.js';
export * from './validators.js';
export * from './key-validators.js';
