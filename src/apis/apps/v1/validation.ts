// Deployment and ReplicaSet validation (pkg/apis/apps/validation, and the registry's selector
// immutability), with upstream's paths and Go-syntax values in messages.
import type { FieldError } from '../../../lib/errors.js';
import type { LabelSelector } from '../../meta.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import type { IntOrString, PodTemplateSpec } from '../../core/v1/types.js';
import { child, forbidden, invalid, notSupported, required } from '../../validation/field-error.js';
import { deepEqual } from '../../validation/equality.js';
import { goPtr, goRepr, goStringMap, goStruct, type GoRepr } from '../../validation/go-format.js';
import {
  goLabelSelector,
  isEmptySelector,
  isInvalidSelector,
  selectorMatches,
  validateLabelSelector,
} from '../../validation/labels.js';
import { FIELD_IMMUTABLE, validateNonnegativeField } from '../../validation/object-meta.js';
import { isValidPercent } from '../../validation/validators.js';
import type { DeploymentSpec, ReplicaSetSpec } from './defaults.js';

/** `%#v` of an intstr.IntOrString. */
export function goIntOrString(v: IntOrString | undefined): GoRepr {
  return typeof v === 'string'
    ? goStruct('intstr.IntOrString', [
        ['Type', 1],
        ['IntVal', 0],
        ['StrVal', v],
      ])
    : goStruct('intstr.IntOrString', [
        ['Type', 0],
        ['IntVal', v ?? 0],
        ['StrVal', ''],
      ]);
}

function percentValue(v: IntOrString | undefined): number | undefined {
  return typeof v === 'string' && isValidPercent(v).length === 0
    ? Number(v.slice(0, -1))
    : undefined;
}

// IntOrString.IntValue(): a non-numeric string counts as 0.
function intOrPercentValue(v: IntOrString | undefined): number {
  const pct = percentValue(v);
  if (pct !== undefined) {
    return pct;
  }
  if (typeof v === 'string') {
    return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
  }
  return v ?? 0;
}

function validatePositiveIntOrPercent(v: IntOrString | undefined, path: string): FieldError[] {
  if (typeof v === 'string') {
    return isValidPercent(v).map((m) => invalid(path, goIntOrString(v), m));
  }
  return validateNonnegativeField(v ?? 0, path);
}

function validateRollingUpdate(
  ru: { maxUnavailable?: IntOrString; maxSurge?: IntOrString },
  path: string,
): FieldError[] {
  const unavailablePath = child(path, 'maxUnavailable');
  const errs = validatePositiveIntOrPercent(ru.maxUnavailable, unavailablePath);
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge')));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(
      invalid(
        unavailablePath,
        goIntOrString(ru.maxUnavailable),
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  const pct = percentValue(ru.maxUnavailable);
  if (pct !== undefined && pct > 100) {
    errs.push(
      invalid(unavailablePath, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'),
    );
  }
  return errs;
}

function validateStrategy(strategy: DeploymentSpec['strategy'], path: string): FieldError[] {
  const type = strategy?.type ?? '';
  const ru = strategy?.rollingUpdate;
  if (type === 'Recreate') {
    return ru
      ? [
          forbidden(
            child(path, 'rollingUpdate'),
            "may not be specified when strategy `type` is 'Recreate'",
          ),
        ]
      : [];
  }
  if (type === 'RollingUpdate') {
    return ru
      ? validateRollingUpdate(ru, child(path, 'rollingUpdate'))
      : [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
  }
  const shown = goStruct('apps.DeploymentStrategy', [
    ['Type', type],
    [
      'RollingUpdate',
      ru
        ? goRepr('(*apps.RollingUpdateDeployment)(0xc000000000)')
        : goPtr('apps.RollingUpdateDeployment', ru),
    ],
  ]);
  return [notSupported(path, shown, ['Recreate', 'RollingUpdate'])];
}

/** ValidatePodTemplateSpecForReplicaSet: labels match the selector, restartPolicy Always. */
function validateTemplateForSelector(
  template: PodTemplateSpec,
  selector: LabelSelector | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels;
  // A missing selector matches nothing; an empty one matches everything and is not checked.
  const empty = selector !== undefined && isEmptySelector(selector);
  if (!empty && !selectorMatches(selector, labels)) {
    errs.push(
      invalid(
        child(path, 'metadata', 'labels'),
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') {
    errs.push(notSupported(child(path, 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  }
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(
      forbidden(
        child(path, 'spec', 'activeDeadlineSeconds'),
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  }
  return errs;
}

/** Selector present, valid and non-empty; template checked against it. */
function validateSelectorAndTemplate(spec: ReplicaSetSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, 'selector');
  const selector = spec.selector ?? undefined;
  if (!selector) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(selector, selPath));
    if (isEmptySelector(selector)) {
      // Upstream says "deployment" for ReplicaSets too.
      errs.push(
        invalid(selPath, goLabelSelector(selector), 'empty selector is invalid for deployment'),
      );
    }
  }
  if (selector && isInvalidSelector(selector)) {
    errs.push(invalid(selPath, goLabelSelector(selector), 'invalid label selector'));
  } else {
    errs.push(
      ...validateTemplateForSelector(spec.template ?? {}, selector, child(path, 'template')),
    );
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: DeploymentSpec, path = 'spec'): FieldError[] {
  const errs = validateNonnegativeField(spec.replicas ?? 0, child(path, 'replicas'));
  errs.push(...validateSelectorAndTemplate(spec, path));
  errs.push(...validateStrategy(spec.strategy, child(path, 'strategy')));
  const minReady = spec.minReadySeconds ?? 0;
  errs.push(...validateNonnegativeField(minReady, child(path, 'minReadySeconds')));
  errs.push(
    ...validateNonnegativeField(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')),
  );
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined) {
    const p = child(path, 'progressDeadlineSeconds');
    errs.push(...validateNonnegativeField(deadline, p));
    if (deadline <= minReady) {
      errs.push(invalid(p, deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(spec: ReplicaSetSpec, path = 'spec'): FieldError[] {
  const errs = validateNonnegativeField(spec.replicas ?? 0, child(path, 'replicas'));
  errs.push(...validateNonnegativeField(spec.minReadySeconds ?? 0, child(path, 'minReadySeconds')));
  errs.push(...validateSelectorAndTemplate(spec, path));
  return errs;
}

/** apps/v1 forbids changing spec.selector after creation. */
export function validateSelectorImmutable(
  selector: LabelSelector | undefined,
  old: LabelSelector | undefined,
  path = 'spec.selector',
): FieldError[] {
  if (deepEqual(selector ?? null, old ?? null) && (selector == null) === (old == null)) {
    return [];
  }
  return [invalid(path, selector ? goLabelSelector(selector) : null, FIELD_IMMUTABLE)];
}
