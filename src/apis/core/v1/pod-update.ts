// Pod update rules (ValidatePodUpdate): a Pod's spec is immutable except container images,
// activeDeadlineSeconds (only shortened), added tolerations and removed scheduling gates.
import type { FieldError } from '../../../lib/errors.js';
import { child, forbidden, index, invalid, required } from '../../validation/field-error.js';
import { deepEqual, jsonDiff } from '../../validation/equality.js';
import { inclusiveRangeError } from '../../validation/validators.js';
import type { Container, Pod, PodSpec } from './types.js';

const MAX_INT32 = 2147483647;

// 1.32 with InPlacePodVerticalScaling off (alpha): resources are not in the list.
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(
  next: Container[] | undefined,
  prev: Container[] | undefined,
  path: string,
): { errs: FieldError[]; stop: boolean } {
  if ((next ?? []).length !== (prev ?? []).length) {
    return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  (next ?? []).forEach((c, i) => {
    const image = c.image ?? '';
    if (!image) {
      errs.push(required(child(index(path, i), 'image')));
    }
    if (image.trim() !== image) {
      errs.push(
        invalid(
          child(index(path, i), 'image'),
          image,
          'must not have leading or trailing whitespace',
        ),
      );
    }
  });
  return { errs, stop: false };
}

// Allowed: nil to a value, or a value to a smaller one. A bad new value ends the checks.
function validateActiveDeadline(
  next: PodSpec,
  prev: PodSpec,
): { errs: FieldError[]; stop: boolean } {
  const path = 'spec.activeDeadlineSeconds';
  const n = next.activeDeadlineSeconds;
  const o = prev.activeDeadlineSeconds;
  if (n === undefined) {
    const errs =
      o !== undefined
        ? [invalid(path, null, 'must not update from a positive integer to nil value')]
        : [];
    return { errs, stop: false };
  }
  if (n < 0 || n > MAX_INT32) {
    return { errs: [invalid(path, n, inclusiveRangeError(0, MAX_INT32))], stop: true };
  }
  if (o !== undefined && o < n) {
    return { errs: [invalid(path, n, 'must be less than or equal to previous value')], stop: true };
  }
  return { errs: [], stop: false };
}

function validateOnlyAddedTolerations(next: PodSpec, prev: PodSpec): FieldError[] {
  const strip = (t: unknown): unknown =>
    t && typeof t === 'object' ? { ...t, tolerationSeconds: undefined } : t;
  const kept = (prev.tolerations ?? []).every((old) =>
    (next.tolerations ?? []).some((t) => deepEqual(strip(old), strip(t))),
  );
  return kept
    ? []
    : [
        forbidden(
          'spec.tolerations',
          'existing toleration can not be modified except its tolerationSeconds',
        ),
      ];
}

function validateOnlyDeletedSchedulingGates(next: PodSpec, prev: PodSpec): FieldError[] {
  const old = new Set((prev.schedulingGates ?? []).map((g) => g.name));
  const errs: FieldError[] = [];
  (next.schedulingGates ?? []).forEach((g, i) => {
    if (!old.has(g.name)) {
      errs.push(
        forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${g.name ?? ''}'`,
        ),
      );
    }
  });
  return errs;
}

// The new spec with every field that may change copied from the old one.
function mungeSpec(next: PodSpec, prev: PodSpec): PodSpec {
  const munged = structuredClone(next);
  const copyImages = (list: Container[] | undefined, from: Container[] | undefined): void => {
    list?.forEach((c, i) => {
      c.image = from?.[i]?.image;
    });
  };
  copyImages(munged.containers, prev.containers);
  copyImages(munged.initContainers, prev.initContainers);
  munged.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  munged.schedulingGates = prev.schedulingGates;
  munged.tolerations = prev.tolerations;
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  return munged;
}

/** The update-only rules for a Pod's spec; metadata and full spec validation run separately. */
export function validatePodSpecUpdate(pod: Pod, old: Pod): FieldError[] {
  const next = pod.spec ?? {};
  const prev = old.spec ?? {};
  const errs: FieldError[] = [];
  for (const f of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(next[f], prev[f], `spec.${f}`);
    errs.push(...r.errs);
    if (r.stop) {
      return errs;
    }
  }
  const deadline = validateActiveDeadline(next, prev);
  errs.push(...deadline.errs);
  if (deadline.stop) {
    return errs;
  }
  errs.push(...validateOnlyAddedTolerations(next, prev));
  errs.push(...validateOnlyDeletedSchedulingGates(next, prev));
  if (deepEqual(next, prev)) {
    return errs;
  }
  const munged = mungeSpec(next, prev);
  if (!deepEqual(munged, prev)) {
    const diff = ['  core.PodSpec{', ...jsonDiff(prev, munged), '  }'].join('\n');
    errs.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}\n`,
      ),
    );
  }
  return errs;
}
