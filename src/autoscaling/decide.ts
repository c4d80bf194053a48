// decideScale: one reconcile's computation (reconcileAutoscaler between the scale GET and the
// scale UPDATE): the disabled / above-max / below-min branches and the metric path (§2.3.4).
import type { HorizontalPodAutoscaler, MetricStatus } from '../apis/autoscaling/types.js';
import { defaultedBehavior } from './behavior.js';
import { computeReplicasForMetrics } from './compute-metrics.js';
import type { MetricsResult } from './compute-metrics.js';
import { applyConditionUpdates, removeCondition } from './conditions.js';
import { explain } from './explain.js';
import { effectiveMetrics } from './fetch-plan.js';
import { cloneState, seedRecommendations } from './history.js';
import type { Normalized } from './limits.js';
import { normalizeWithBehavior } from './normalize-behavior.js';
import { normalizeLegacy } from './normalize-legacy.js';
import { tolerancesFor } from './tolerance.js';
import type {
  ConditionUpdate,
  DecideInput,
  DecideOptions,
  HPAEvent,
  HPAState,
  ScaleDecision,
} from './types.js';

/** kube-controller-manager's defaults for the HPA flags. */
export const DEFAULT_DECIDE_OPTIONS: DecideOptions = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
  downscaleStabilizationWindowMs: 5 * 60_000,
  configurableTolerance: false,
};

const GOT_SCALE: ConditionUpdate = {
  type: 'AbleToScale',
  status: 'True',
  reason: 'SucceededGetScale',
  message: "the HPA controller was able to get the target's current scale",
};

/** The decision before conditions are applied and the explanation is written. */
export interface Draft {
  desiredReplicas: number;
  rescale: boolean;
  reason: string;
  currentMetrics: MetricStatus[];
  conditionUpdates: ConditionUpdate[];
  events: HPAEvent[];
  metricsFailed: boolean;
  error?: string;
  state: HPAState;
  metrics?: MetricsResult;
  normalized?: Normalized;
}

/** `Kind/namespace/name`, as upstream names the target in errors. */
export function targetReference(hpa: HorizontalPodAutoscaler): string {
  const ref = hpa.spec.scaleTargetRef;
  return `${ref.kind}/${hpa.metadata.namespace ?? ''}/${ref.name}`;
}

function fixedDraft(state: HPAState, desired: number, reason: string, current: number): Draft {
  return {
    desiredReplicas: desired,
    rescale: desired !== current,
    reason,
    currentMetrics: [],
    conditionUpdates: [GOT_SCALE],
    events: [],
    metricsFailed: false,
    state,
  };
}

function failedDraft(input: DecideInput, state: HPAState, metrics: MetricsResult): Draft {
  const err = metrics.error ?? '';
  return {
    desiredReplicas: input.hpa.status?.desiredReplicas ?? 0,
    rescale: false,
    reason: '',
    currentMetrics: metrics.statuses,
    conditionUpdates: [GOT_SCALE, ...metrics.conditionUpdates],
    events: [
      ...metrics.events,
      { type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: err },
    ],
    metricsFailed: true,
    error: `failed to compute desired number of replicas based on listed metrics for ${targetReference(input.hpa)}: ${err}`,
    state,
    metrics,
  };
}

function normalize(
  input: DecideInput,
  opts: DecideOptions,
  state: HPAState,
  proposal: number,
): Normalized {
  const { hpa, scale, now } = input;
  const common = {
    recommendations: state.recommendations ?? [],
    currentReplicas: scale.specReplicas,
    proposal,
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    nowMs: now.getTime(),
  };
  if (hpa.spec.behavior == null) {
    return normalizeLegacy({
      ...common,
      downscaleStabilizationWindowMs: opts.downscaleStabilizationWindowMs,
    });
  }
  const behavior = defaultedBehavior(hpa.spec.behavior, opts.downscaleStabilizationWindowMs);
  return normalizeWithBehavior({ ...common, behavior, state });
}

function metricDraft(input: DecideInput, opts: DecideOptions, state: HPAState): Draft {
  const { hpa, scale, now } = input;
  const ctx = {
    hpa,
    scale,
    pods: input.pods,
    tolerances: tolerancesFor(hpa, opts.tolerance, opts.configurableTolerance === true),
    timing: { ...opts, nowMs: now.getTime() },
  };
  const metrics = computeReplicasForMetrics(
    ctx,
    effectiveMetrics(hpa.spec),
    input.metricData,
    input.hpasSelectingPods,
  );
  if (metrics.replicas === -1) {
    return failedDraft(input, state, metrics);
  }
  const current = scale.specReplicas;
  const proposal = Math.max(metrics.replicas, 0);
  const metricName = metrics.replicas > 0 ? metrics.metricName : '';
  const reason =
    proposal > current
      ? `${metricName} above target`
      : proposal < current
        ? 'All metrics below target'
        : '';
  const normalized = normalize(input, opts, state, proposal);
  const rescale = normalized.desiredReplicas !== current;
  return {
    desiredReplicas: rescale ? normalized.desiredReplicas : current,
    rescale,
    reason,
    currentMetrics: metrics.statuses,
    conditionUpdates: [GOT_SCALE, ...metrics.conditionUpdates, ...normalized.conditionUpdates],
    events: metrics.events,
    metricsFailed: false,
    error: metrics.error,
    state: { ...state, recommendations: normalized.recommendations },
    metrics,
    normalized,
  };
}

function draftFor(input: DecideInput, opts: DecideOptions, state: HPAState): Draft {
  const current = input.scale.specReplicas;
  const minReplicas = input.hpa.spec.minReplicas ?? 1;
  const maxReplicas = input.hpa.spec.maxReplicas;
  if (current === 0 && minReplicas !== 0) {
    const draft = fixedDraft(state, 0, '', current);
    const disabled: ConditionUpdate = {
      type: 'ScalingActive',
      status: 'False',
      reason: 'ScalingDisabled',
      message: 'scaling is disabled since the replica count of the target is zero',
    };
    return { ...draft, conditionUpdates: [GOT_SCALE, disabled] };
  }
  if (current > maxReplicas) {
    return fixedDraft(
      state,
      maxReplicas,
      'Current number of replicas above Spec.MaxReplicas',
      current,
    );
  }
  if (current < minReplicas) {
    return fixedDraft(
      state,
      minReplicas,
      'Current number of replicas below Spec.MinReplicas',
      current,
    );
  }
  return metricDraft(input, opts, state);
}

/**
 * Computes one reconcile: call it after a successful scale GET. Returns the replica count to
 * write (when `rescale`), the status pieces, conditions, events and the next in-memory state.
 */
export function decideScale(input: DecideInput): ScaleDecision {
  const opts: DecideOptions = { ...DEFAULT_DECIDE_OPTIONS, ...input.options };
  const current = input.scale.specReplicas;
  const state = seedRecommendations(cloneState(input.state), current, input.now.getTime());
  const draft = draftFor(input, opts, state);
  let conditions = applyConditionUpdates(
    input.hpa.status?.conditions,
    draft.conditionUpdates,
    input.now,
  );
  if (current === 0 && (input.hpa.spec.minReplicas ?? 1) !== 0) {
    // Without the HPAScaleToZero gate the ScaledToZero condition is dropped.
    conditions = removeCondition(conditions, 'ScaledToZero');
  }
  return {
    currentReplicas: current,
    desiredReplicas: draft.desiredReplicas,
    rescale: draft.rescale,
    reason: draft.reason,
    currentMetrics: draft.currentMetrics,
    conditionUpdates: draft.conditionUpdates,
    conditions,
    events: draft.events,
    metricsFailed: draft.metricsFailed,
    ...(draft.error !== undefined ? { error: draft.error } : {}),
    state: draft.state,
    explanation: explain(input, draft),
  };
}
