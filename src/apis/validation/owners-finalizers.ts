// ownerReferences and finalizers validation (apimachinery objectmeta.go, plus core's rule that
// unprefixed finalizers must be standard ones).
import type { FieldError } from '../../lib/errors.js';
import type { OwnerReference } from '../meta.js';
import { child, index, invalid } from './field-error.js';
import { goPtr, goRepr, goStringSlice, goStruct, type GoRepr } from './go-format.js';
import { validateQualifiedName } from './labels.js';

function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) {
    return { group: '', version: parts[0] ?? '' };
  }
  if (parts.length === 2) {
    return { group: parts[0] ?? '', version: parts[1] ?? '' };
  }
  return { group: '', version: '' };
}

const boolPtr = (v: boolean | undefined): unknown =>
  v === undefined ? goPtr('bool', v) : goRepr('(*bool)(0xc000000000)');

/** `%#v` of an OwnerReference, as upstream prints it. */
export function goOwnerReference(ref: OwnerReference): GoRepr {
  return goStruct('v1.OwnerReference', [
    ['APIVersion', ref.apiVersion ?? ''],
    ['Kind', ref.kind ?? ''],
    ['Name', ref.name ?? ''],
    ['UID', ref.uid ?? ''],
    ['Controller', boolPtr(ref.controller)],
    ['BlockOwnerDeletion', boolPtr(ref.blockOwnerDeletion)],
  ]);
}

function validateOwnerReference(ref: OwnerReference, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const gv = parseGroupVersion(ref.apiVersion ?? '');
  if (!gv.version) {
    errs.push(
      invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'),
    );
  }
  if (!ref.kind) {
    errs.push(invalid(child(path, 'kind'), ref.kind ?? '', 'kind must not be empty'));
  }
  if (!ref.name) {
    errs.push(invalid(child(path, 'name'), ref.name ?? '', 'name must not be empty'));
  }
  if (!ref.uid) {
    errs.push(invalid(child(path, 'uid'), ref.uid ?? '', 'uid must not be empty'));
  }
  if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
    errs.push(
      invalid(path, goOwnerReference(ref), '/v1, Kind=Event is disallowed from being an owner'),
    );
  }
  return errs;
}

/** Each reference is complete, Events never own, and at most one reference is the controller. */
export function validateOwnerReferences(
  refs: OwnerReference[] | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller !== true) {
      continue;
    }
    const name = `${ref.kind}/${ref.name}`;
    if (firstController) {
      const all = goRepr(
        `[]v1.OwnerReference{${(refs ?? []).map((r) => goOwnerReference(r).text).join(', ')}}`,
      );
      errs.push(
        invalid(
          path,
          all,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`,
        ),
      );
    } else {
      firstController = name;
    }
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** A finalizer is a qualified name; unprefixed ones must be a standard finalizer. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  return validateQualifiedName(name, path);
}

function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (name.split('/').length === 1 && !STANDARD_FINALIZERS.has(name)) {
    return [
      invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'),
    ];
  }
  return [];
}

/** Finalizer names, `orphan` and `foregroundDeletion` exclusive, plus core's standard-name rule. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const list = finalizers ?? [];
  const errs = list.flatMap((f) => validateFinalizerName(f, path));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(
      invalid(
        path,
        goStringSlice(list),
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    );
  }
  list.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(path, i))));
  return errs;
}
