// Turning requests and answers into the adapter's API shapes: selectors back to
// metav1.LabelSelector, one opaque 500 for Prometheus errors (the cause goes to the log).
import type { LabelSelector } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';

const EXPRESSION: Record<string, string> = {
  in: 'In',
  notin: 'NotIn',
  '!=': 'NotIn',
  exists: 'Exists',
  '!': 'DoesNotExist',
};

/** metav1.ParseToLabelSelector of a parsed selector; undefined when it selects everything. */
export function toLabelSelector(sel: LabelSelectorMatcher | undefined): LabelSelector | undefined {
  if (!sel || sel.requirements.length === 0) {
    return undefined;
  }
  const out: LabelSelector = {};
  for (const r of sel.requirements) {
    const values = [...r.values].sort();
    if (r.operator === '=' || r.operator === '==') {
      out.matchLabels = { ...out.matchLabels, [r.key]: values[0] ?? '' };
      continue;
    }
    const operator = EXPRESSION[r.operator];
    if (operator === undefined) {
      throw new ApiError(400, 'BadRequest', `"${r.operator}" isn't supported in label selectors`);
    }
    const expr = { key: r.key, operator, ...(values.length > 0 ? { values } : {}) };
    out.matchExpressions = [...(out.matchExpressions ?? []), expr];
  }
  return out;
}

/** apierrors.NewInternalError(errors.New(what)): the cause stays in the log, not the answer. */
export function internal(what: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${what}`, {
    causes: [{ message: what }],
  });
}
