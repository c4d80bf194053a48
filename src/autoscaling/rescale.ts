// After the scale UPDATE (or a failed scale GET): the AbleToScale condition, the events, the
// scale-event history and lastScaleTime; and the status the controller writes.
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerStatus,
} from '../apis/autoscaling/types.js';
import { formatTime } from '../apis/meta.js';
import { removeCondition, setCondition } from './conditions.js';
import { targetReference } from './decide.js';
import { recordScaleEvent } from './history.js';
import type { HPAEvent, RescaleOutcome, RescaleResult, ScaleDecision } from './types.js';

/** The scale UPDATE succeeded: SucceededRescale, SuccessfulRescale, scale event, lastScaleTime. */
export function recordRescaleSuccess({ hpa, decision, now }: RescaleOutcome): RescaleResult {
  const desired = decision.desiredReplicas;
  let conditions = setCondition(
    decision.conditions,
    'AbleToScale',
    'True',
    'SucceededRescale',
    `the HPA controller was able to update the target scale to ${desired}`,
    now,
  );
  // Without the HPAScaleToZero gate the ScaledToZero condition is dropped on every rescale.
  conditions = removeCondition(conditions, 'ScaledToZero');
  const event: HPAEvent = {
    type: 'Normal',
    reason: 'SuccessfulRescale',
    message: `New size: ${desired}; reason: ${decision.reason}`,
  };
  const state = recordScaleEvent(decision.state, {
    behavior: hpa.spec.behavior,
    prevReplicas: decision.currentReplicas,
    newReplicas: desired,
    now,
  });
  return { conditions, events: [event], state, lastScaleTime: formatTime(now) };
}

/** The scale UPDATE failed (after conflict retries): FailedUpdateScale and FailedRescale. */
export function recordRescaleFailure({
  hpa,
  decision,
  now,
  error,
}: RescaleOutcome & { error: string }): RescaleResult {
  const desired = decision.desiredReplicas;
  const conditions = setCondition(
    decision.conditions,
    'AbleToScale',
    'False',
    'FailedUpdateScale',
    `the HPA controller was unable to update the target scale: ${error}`,
    now,
  );
  const event: HPAEvent = {
    type: 'Warning',
    reason: 'FailedRescale',
    message: `New size: ${desired}; reason: ${decision.reason}; error: ${error}`,
  };
  return {
    conditions,
    events: [event],
    state: decision.state,
    error: `failed to rescale ${targetReference(hpa)}: ${error}`,
  };
}

/** The scale GET failed: AbleToScale=False FailedGetScale and a FailedGetScale event. */
export function recordGetScaleFailure(
  hpa: HorizontalPodAutoscaler,
  error: string,
  now: Date,
): { conditions: HorizontalPodAutoscalerCondition[]; events: HPAEvent[] } {
  const conditions = setCondition(
    hpa.status?.conditions,
    'AbleToScale',
    'False',
    'FailedGetScale',
    `the HPA controller was unable to get the target's current scale: ${error}`,
    now,
  );
  return { conditions, events: [{ type: 'Warning', reason: 'FailedGetScale', message: error }] };
}

/** A failed UPDATE or failed metrics keep the previous desiredReplicas. */
function statusDesiredReplicas(
  hpa: HorizontalPodAutoscaler,
  decision: ScaleDecision,
  rescale: RescaleResult | undefined,
): number {
  const keep = decision.metricsFailed || rescale?.error !== undefined;
  return keep ? (hpa.status?.desiredReplicas ?? 0) : decision.desiredReplicas;
}

/**
 * setStatus: the status to write after a decision (and the rescale result, when an UPDATE was
 * attempted). A failed UPDATE or failed metrics keep the previous desiredReplicas.
 */
export function buildStatus(
  hpa: HorizontalPodAutoscaler,
  decision: ScaleDecision,
  rescale?: RescaleResult,
): HorizontalPodAutoscalerStatus {
  const generation = hpa.metadata.generation;
  const lastScaleTime = rescale?.lastScaleTime ?? hpa.status?.lastScaleTime;
  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
    currentReplicas: decision.currentReplicas,
    desiredReplicas: statusDesiredReplicas(hpa, decision, rescale),
    ...(decision.currentMetrics.length > 0 ? { currentMetrics: decision.currentMetrics } : {}),
    conditions: rescale?.conditions ?? decision.conditions,
  };
}
