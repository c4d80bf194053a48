// computeReplicasForMetrics (§3): checks the scale's selector, computes every metric spec,
// takes the highest proposal, and lets a broken metric block scale-down but never scale-up.
import type { MetricSpec, MetricStatus } from '../apis/autoscaling/types.js';
import { parseLabelSelector } from '../lib/labels.js';
import { externalMetric, objectMetric, podsMetric } from './metric-custom.js';
import type {
  MetricContext,
  MetricFailure,
  MetricOutcome,
  MetricProposal,
} from './metric-outcome.js';
import { errorText, metricFailure } from './metric-outcome.js';
import { resourceMetric } from './metric-resource.js';
import type { ConditionUpdate, HPAEvent, MetricData } from './types.js';

/** The outcome of the metric path; replicas is -1 when it failed outright. */
export interface MetricsResult {
  replicas: number;
  metricName: string;
  statuses: MetricStatus[];
  conditionUpdates: ConditionUpdate[];
  events: HPAEvent[];
  error?: string;
  /** The proposal that won (for the explanation). */
  winner?: MetricProposal;
  /** Every metric's outcome, in spec order (empty when the selector was rejected). */
  outcomes: MetricOutcome[];
}

function selectorFailure(reason: string, message: string, event: HPAEvent): MetricsResult {
  return {
    replicas: -1,
    metricName: '',
    statuses: [],
    conditionUpdates: [{ type: 'ScalingActive', status: 'False', reason, message }],
    events: [event],
    error: event.message,
    outcomes: [],
  };
}

/** validateAndParseSelector; undefined when the selector is usable. */
function checkSelector(
  selector: string,
  selecting: readonly string[] | undefined,
): MetricsResult | undefined {
  if (selector === '') {
    const event: HPAEvent = {
      type: 'Warning',
      reason: 'SelectorRequired',
      message: 'selector is required',
    };
    return selectorFailure(
      'InvalidSelector',
      "the HPA target's scale is missing a selector",
      event,
    );
  }
  try {
    parseLabelSelector(selector);
  } catch (e) {
    const msg = `couldn't convert selector into a corresponding internal selector object: ${errorText(e)}`;
    return selectorFailure('InvalidSelector', msg, {
      type: 'Warning',
      reason: 'InvalidSelector',
      message: msg,
    });
  }
  if (selecting !== undefined && selecting.length > 1) {
    const msg = `pods by selector ${selector} are controlled by more than one HPA (e.g. [${selecting.join(' ')}])`;
    return selectorFailure('AmbiguousSelector', msg, {
      type: 'Warning',
      reason: 'AmbiguousSelector',
      message: msg,
    });
  }
  return undefined;
}

/** computeReplicasForMetric: dispatch on the metric source type. */
export function computeReplicasForMetric(
  ctx: MetricContext,
  spec: MetricSpec,
  data: MetricData | undefined,
): MetricOutcome {
  switch (spec.type) {
    case 'Object':
      return objectMetric(ctx, spec, data);
    case 'Pods':
      return podsMetric(ctx, spec, data);
    case 'Resource':
    case 'ContainerResource':
      return resourceMetric(ctx, spec, data);
    case 'External':
      return externalMetric(ctx, spec, data);
    default:
      return metricFailure(
        'InvalidMetricSourceType',
        `unknown metric source type ${JSON.stringify(spec.type)}`,
      );
  }
}

/** The running max of the proposals; a tie keeps the earlier metric, a 0 is always replaced. */
function highest(outcomes: readonly MetricOutcome[]): MetricProposal | undefined {
  let winner: MetricProposal | undefined;
  for (const o of outcomes) {
    if (o.ok && (winner === undefined || winner.replicas === 0 || o.replicas > winner.replicas)) {
      winner = o;
    }
  }
  return winner;
}

/** computeReplicasForMetrics. */
export function computeReplicasForMetrics(
  ctx: MetricContext,
  specs: readonly MetricSpec[],
  data: readonly MetricData[],
  hpasSelectingPods?: readonly string[],
): MetricsResult {
  const rejected = checkSelector(ctx.scale.selector, hpasSelectingPods);
  if (rejected) {
    return rejected;
  }
  const outcomes = specs.map((spec, i) => computeReplicasForMetric(ctx, spec, data[i]));
  const statuses: MetricStatus[] = outcomes.map((o) => (o.ok ? o.status : { type: '' }));
  const failures = outcomes.filter((o): o is MetricFailure => !o.ok);
  const winner = highest(outcomes);
  const replicas = winner?.replicas ?? 0;
  const events = failures.flatMap((f) => f.events);
  const first = failures[0];
  const error =
    first &&
    `invalid metrics (${failures.length} invalid out of ${specs.length}), first error is: ${first.error}`;
  if (first && (failures.length >= specs.length || replicas < ctx.scale.specReplicas)) {
    const base = { replicas: -1, metricName: '', statuses, events, error, outcomes };
    return { ...base, conditionUpdates: [first.condition] };
  }
  const metricName = winner?.metricName ?? '';
  const message = `the HPA was able to successfully calculate a replica count from ${metricName}`;
  const conditionUpdates: ConditionUpdate[] = [
    { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message },
  ];
  return { replicas, metricName, statuses, conditionUpdates, events, error, winner, outcomes };
}
