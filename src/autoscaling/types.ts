// Public types of the pure HPA library: the per-HPA state, the inputs the controller fetches,
// the decision it gets back, and the metrics API shapes (metrics.k8s.io, custom, external).
import type { LabelSelector } from '../apis/meta.js';
import type {
  CrossVersionObjectReference,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
  MetricStatus,
  Quantity,
} from '../apis/autoscaling/types.js';
import type { Pod } from '../apis/core/v1/types.js';

/** One unstabilized recommendation, as upstream's timestampedRecommendation. */
export interface TimestampedRecommendation {
  recommendation: number;
  timestampMs: number;
}

/** One past rescale, as upstream's timestampedScaleEvent (replicaChange is never negative). */
export interface ScaleEvent {
  replicaChange: number;
  timestampMs: number;
  outdated: boolean;
}

/**
 * What the controller keeps in memory per HPA key. `recommendations: null` means "absent"
 * (seeded with the current replica count on the next decision); `[]` means "present but empty".
 */
export interface HPAState {
  recommendations: TimestampedRecommendation[] | null;
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

/** The parts of the target's autoscaling/v1 Scale the algorithm reads. */
export interface ScaleInfo {
  /** scale.spec.replicas */
  specReplicas: number;
  /** scale.status.replicas */
  statusReplicas: number;
  /** scale.status.selector (the label-selector string); empty means "missing". */
  selector: string;
}

/** metrics.k8s.io/v1beta1 PodMetrics, as JSON. */
export interface PodMetrics {
  metadata: { name: string; namespace?: string };
  timestamp: string;
  /** A Go duration string (`30s`, `1m0s`) or seconds as a number. */
  window: string | number;
  containers: { name: string; usage: Record<string, Quantity> }[];
}

/** custom.metrics.k8s.io/v1beta2 MetricValue, as JSON. */
export interface MetricValue {
  describedObject: { kind: string; name: string; apiVersion?: string; namespace?: string };
  metric: { name: string; selector?: LabelSelector };
  timestamp: string;
  windowSeconds?: number;
  value: Quantity;
}

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue, as JSON. */
export interface ExternalMetricValue {
  metricName: string;
  metricLabels?: Record<string, string>;
  timestamp: string;
  windowSeconds?: number;
  value: Quantity;
}

/** A fetch that failed; `error` is the client's error text (wrapped as upstream does). */
export interface MetricFetchError {
  error: string;
}

/**
 * The data fetched for one metric spec, in spec order: Resource/ContainerResource → PodMetrics[],
 * Pods → MetricValue[], Object → MetricValue[] (the first is used) or one MetricValue,
 * External → ExternalMetricValue[].
 */
export type MetricData =
  | readonly PodMetrics[]
  | readonly MetricValue[]
  | readonly ExternalMetricValue[]
  | MetricValue
  | MetricFetchError;

/** What the controller must fetch for one metric spec (see metricFetchPlan). */
export type MetricFetch =
  | { kind: 'resource'; resource: string; container?: string }
  | { kind: 'pods'; metricName: string; metricSelector?: LabelSelector }
  | {
      kind: 'object';
      describedObject: CrossVersionObjectReference;
      metricName: string;
      metricSelector?: LabelSelector;
    }
  | { kind: 'external'; metricName: string; metricSelector?: LabelSelector }
  | { kind: 'none' };

/** kube-controller-manager's HPA flags, as milliseconds. */
export interface DecideOptions {
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (30 s). */
  initialReadinessDelayMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
  downscaleStabilizationWindowMs: number;
  /** Honour behavior.scale{Up,Down}.tolerance (the HPAConfigurableTolerance gate); off. */
  configurableTolerance?: boolean;
}

/** Everything decideScale reads; the controller fetched it all beforehand. */
export interface DecideInput {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleInfo;
  /** The pods the scale selector matches, in the HPA's namespace. */
  pods: readonly Pod[];
  /** One entry per effective metric spec (effectiveMetrics(hpa.spec)), same order. */
  metricData: readonly MetricData[];
  state: HPAState;
  now: Date;
  options?: Partial<DecideOptions>;
  /**
   * Keys (`namespace/name`) of the HPAs whose selectors match these pods, this one included;
   * more than one makes the selector ambiguous. Leave unset to skip the check.
   */
  hpasSelectingPods?: readonly string[];
}

/** An event to record on the HPA (reason and message exactly as Kubernetes words them). */
export interface HPAEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** One condition change, applied in order with setCondition. */
export interface ConditionUpdate {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The result of one reconcile's computation, before the scale UPDATE. */
export interface ScaleDecision {
  /** scale.spec.replicas as read this cycle (status.currentReplicas). */
  currentReplicas: number;
  /**
   * The replica count to write to the target when `rescale`; otherwise the value for
   * status.desiredReplicas (current, or the previous status value when metricsFailed).
   */
  desiredReplicas: number;
  rescale: boolean;
  /** The SuccessfulRescale reason text ("cpu resource utilization ... above target"). */
  reason: string;
  /** status.currentMetrics: one entry per metric spec in order; [] when metrics were skipped. */
  currentMetrics: MetricStatus[];
  /** The condition changes of this cycle, in order (AbleToScale SucceededGetScale first). */
  conditionUpdates: ConditionUpdate[];
  /** hpa.status.conditions with conditionUpdates applied at `now`. */
  conditions: HorizontalPodAutoscalerCondition[];
  events: HPAEvent[];
  /** Every metric failed (or scale-down was blocked): keep the old desiredReplicas, no UPDATE. */
  metricsFailed: boolean;
  /** The error upstream's reconcile returns (also set for a partial metric failure). */
  error?: string;
  /** The new in-memory state (the input state is never mutated). */
  state: HPAState;
  /** A sentence for humans: which metric, which pods were left out, which limit applied. */
  explanation: string;
}

/** Inputs for recordRescaleSuccess / recordRescaleFailure (after the scale UPDATE). */
export interface RescaleOutcome {
  hpa: HorizontalPodAutoscaler;
  decision: ScaleDecision;
  now: Date;
}

/** Conditions, events and state after the scale UPDATE. */
export interface RescaleResult {
  conditions: HorizontalPodAutoscalerCondition[];
  events: HPAEvent[];
  state: HPAState;
  /** status.lastScaleTime to write (set only on success). */
  lastScaleTime?: string;
  /** The error to return from the reconcile (FailedRescale). */
  error?: string;
}
