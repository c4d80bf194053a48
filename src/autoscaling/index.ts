// kubeproc/autoscaling: the HorizontalPodAutoscaler algorithm of kube-controller-manager as a pure
// library (no I/O, no clock). The controller fetches, calls decideScale, writes what it returns.
export type {
  ConditionUpdate,
  DecideInput,
  DecideOptions,
  ExternalMetricValue,
  HPAEvent,
  HPAState,
  MetricData,
  MetricFetch,
  MetricFetchError,
  MetricValue,
  PodMetrics,
  RescaleOutcome,
  RescaleResult,
  ScaleDecision,
  ScaleEvent,
  ScaleInfo,
  TimestampedRecommendation,
} from './types.js';
export { DEFAULT_DECIDE_OPTIONS, decideScale } from './decide.js';
export { newHPAState, recordScaleEvent } from './history.js';
export type { ScaleEventInput } from './history.js';
export { setCondition, removeCondition } from './conditions.js';
export { defaultedBehavior } from './behavior.js';
export type { DefaultedBehavior, DefaultedRules } from './behavior.js';
export { effectiveMetrics, metricFetchPlan } from './fetch-plan.js';
export {
  buildStatus,
  recordGetScaleFailure,
  recordRescaleFailure,
  recordRescaleSuccess,
} from './rescale.js';
export { simulate } from './simulator/simulate.js';
export type { SimulationConfig, SimulationRow } from './simulator/simulate.js';
export { parseTrace } from './simulator/trace.js';
export type { Trace, TracePoint } from './simulator/trace.js';
export { formatRows } from './simulator/format.js';
export { milliValue } from './milli.js';
