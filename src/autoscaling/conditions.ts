// HPA status conditions the way horizontal.go keeps them: updated in place by type (so the list
// keeps first-insertion order), lastTransitionTime moving only when the status value changes.
import type { HorizontalPodAutoscalerCondition } from '../apis/autoscaling/types.js';
import { formatTime } from '../apis/meta.js';
import type { ConditionUpdate } from './types.js';

/** setConditionInList: returns a new list; the input is not modified. */
// eslint-disable-next-line max-params -- upstream's setCondition signature, which callers know
export function setCondition(
  conditions: readonly HorizontalPodAutoscalerCondition[] | undefined,
  type: string,
  status: string,
  reason: string,
  message: string,
  now: Date,
): HorizontalPodAutoscalerCondition[] {
  const list = (conditions ?? []).map((c) => ({ ...c }));
  let existing = list.find((c) => c.type === type);
  if (existing === undefined) {
    existing = { type, status: '' };
    list.push(existing);
  }
  if (existing.status !== status) {
    existing.lastTransitionTime = formatTime(now);
  }
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
  return list;
}

/** removeCondition: the list without conditions of `type`. */
export function removeCondition(
  conditions: readonly HorizontalPodAutoscalerCondition[] | undefined,
  type: string,
): HorizontalPodAutoscalerCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type).map((c) => ({ ...c }));
}

/** Applies updates in order. */
export function applyConditionUpdates(
  conditions: readonly HorizontalPodAutoscalerCondition[] | undefined,
  updates: readonly ConditionUpdate[],
  now: Date,
): HorizontalPodAutoscalerCondition[] {
  let list = (conditions ?? []).map((c) => ({ ...c }));
  for (const u of updates) {
    list = setCondition(list, u.type, u.status, u.reason, u.message, now);
  }
  return list;
}
