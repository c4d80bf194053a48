// Label, label-selector and qualified-name validation (apimachinery meta/v1/validation), and the
// selector matching that workload validation needs (`selector` must match template labels).
import type { FieldError } from '../../lib/errors.js';
import type { LabelSelector } from '../meta.js';
import { child, forbidden, index, invalid, required } from './field-error.js';
import { goQuote, goRepr, goStringMap, goStringSlice, type GoRepr } from './go-format.js';
import { isQualifiedName, isValidLabelValue } from './validators.js';

/** One error per problem with a qualified name, all at `path`. */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => invalid(path, value, m));
}

/** Label keys are qualified names and values valid label values; errors sit at `path`. */
export function validateLabels(
  labels: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, raw] of Object.entries(labels ?? {})) {
    const v = String(raw);
    errs.push(...validateQualifiedName(k, path));
    errs.push(...isValidLabelValue(v).map((m) => invalid(path, v, m)));
  }
  return errs;
}

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function validateRequirement(req: Requirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length === 0) {
      errs.push(
        required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"),
      );
    }
  } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
    if (values.length > 0) {
      errs.push(
        forbidden(
          child(path, 'values'),
          "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
      );
    }
  } else {
    errs.push(
      invalid(child(path, 'operator'), req.operator ?? '', 'not a valid selector operator'),
    );
  }
  errs.push(...validateQualifiedName(req.key ?? '', child(path, 'key')));
  values.forEach((v, i) => {
    errs.push(...isValidLabelValue(v).map((m) => invalid(index(child(path, 'values'), i), v, m)));
  });
  return errs;
}

/** Validates a metav1.LabelSelector (matchLabels and matchExpressions). */
export function validateLabelSelector(
  selector: LabelSelector | undefined,
  path: string,
): FieldError[] {
  if (!selector) {
    return [];
  }
  const errs = validateLabels(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => {
    errs.push(...validateRequirement(req, index(child(path, 'matchExpressions'), i)));
  });
  return errs;
}

/** True when converting the selector to a labels.Selector would fail upstream. */
export function isInvalidSelector(selector: LabelSelector | undefined): boolean {
  if (!selector) {
    return false;
  }
  const badLabel = Object.entries(selector.matchLabels ?? {}).some(
    ([k, v]) => isQualifiedName(k).length > 0 || isValidLabelValue(String(v)).length > 0,
  );
  const badExpr = (selector.matchExpressions ?? []).some((r) => {
    const values = r.values ?? [];
    const arity =
      r.operator === 'In' || r.operator === 'NotIn' ? values.length > 0 : values.length === 0;
    return (
      !OPERATORS.has(r.operator ?? '') ||
      !arity ||
      isQualifiedName(r.key ?? '').length > 0 ||
      values.some((v) => isValidLabelValue(v).length > 0)
    );
  });
  return badLabel || badExpr;
}

/** A selector with no requirements selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0
  );
}

/** Whether a (valid) selector matches a label set; a missing selector matches nothing. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) {
    return false;
  }
  const set = labels ?? {};
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(set, k);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k) || set[k] !== v) {
      return false;
    }
  }
  return (selector.matchExpressions ?? []).every((r) => {
    const key = r.key ?? '';
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
        return has(key) && values.includes(set[key] ?? '');
      case 'NotIn':
        return !has(key) || !values.includes(set[key] ?? '');
      case 'Exists':
        return has(key);
      case 'DoesNotExist':
        return !has(key);
      default:
        return false;
    }
  });
}

/** `%#v` of a metav1.LabelSelector, e.g. in `spec.selector: Invalid value: v1.LabelSelector{...}`. */
export function goLabelSelector(selector: LabelSelector): GoRepr {
  const exprs = selector.matchExpressions;
  const exprText =
    exprs == null
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (r) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(r.key ?? '')}, Operator:${goQuote(r.operator ?? '')}, Values:${goStringSlice(r.values).text}}`,
          )
          .join(', ')}}`;
  return goRepr(
    `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels).text}, MatchExpressions:${exprText}}`,
  );
}
