// The outcome of computing one metric spec: a proposal with its status entry, or a failure
// with the ScalingActive condition and Warning event upstream records for it.
import type { MetricStatus } from '../apis/autoscaling/types.js';
import type { Pod } from '../apis/core/v1/types.js';
import type { HorizontalPodAutoscaler } from '../apis/autoscaling/types.js';
import type { PodGroups, ReadinessTiming } from './pod-grouping.js';
import type { Tolerances } from './tolerance.js';
import type { ConditionUpdate, HPAEvent, ScaleInfo } from './types.js';

/** What every metric computation reads. */
export interface MetricContext {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleInfo;
  pods: readonly Pod[];
  tolerances: Tolerances;
  timing: ReadinessTiming;
}

/** A successful metric computation. */
export interface MetricProposal {
  ok: true;
  replicas: number;
  /** The name upstream uses in reasons ("cpu resource utilization (percentage of request)"). */
  metricName: string;
  status: MetricStatus;
  /** The pod grouping, for the explanation (pod-based metrics only). */
  groups?: PodGroups;
}

/** A failed metric computation. */
export interface MetricFailure {
  ok: false;
  /** The error computeReplicasForMetric returns (outer-wrapped). */
  error: string;
  condition: ConditionUpdate;
  events: HPAEvent[];
}

/** Either outcome. */
export type MetricOutcome = MetricProposal | MetricFailure;

/** getUnableComputeReplicaCountCondition: a Warning event plus ScalingActive=False. */
export function metricFailure(reason: string, err: string, returned: string = err): MetricFailure {
  return {
    ok: false,
    error: returned,
    condition: {
      type: 'ScalingActive',
      status: 'False',
      reason,
      message: `the HPA was unable to compute the replica count: ${err}`,
    },
    events: [{ type: 'Warning', reason, message: err }],
  };
}

/** The message of anything thrown (MetricError, QuantityParseError, ApiError). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
