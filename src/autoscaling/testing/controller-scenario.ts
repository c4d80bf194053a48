// A whole-reconcile scenario shaped like upstream's horizontal_test.go testCase: pods with
// their CPU request split over two containers, metrics built for each metric spec.
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
  MetricSpec,
} from '../../apis/autoscaling/types.js';
import { decideScale } from '../decide.js';
import { effectiveMetrics } from '../fetch-plan.js';
import { milliValue } from '../milli.js';
import { buildStatus, recordRescaleSuccess } from '../rescale.js';
import type {
  DecideInput,
  DecideOptions,
  HPAState,
  MetricData,
  ScaleDecision,
  TimestampedRecommendation,
} from '../types.js';
import {
  NOW,
  cpuTarget,
  makeExternalValues,
  makeHPA,
  makeObjectValue,
  makePodValues,
  makePods,
} from './fixtures.js';

/** upstream's horizontalScenario. */
export interface HorizontalScenario {
  min: number;
  max: number;
  specReplicas: number;
  statusReplicas?: number;
  cpuTarget?: number;
  metrics?: MetricSpec[];
  levels: number[];
  /** Per-pod CPU requests; their count is the pod count (statusReplicas otherwise). */
  requests?: string[];
  readiness?: ('True' | 'False')[];
  startTimes?: string[];
  behavior?: HorizontalPodAutoscaler['spec']['behavior'];
  /** undefined = absent history (seeded); [] = empty. */
  recommendations?: TimestampedRecommendation[];
  state?: Partial<HPAState>;
  conditions?: HorizontalPodAutoscalerCondition[];
  /** Per metric index: a fetch error instead of data. */
  fetchErrors?: Record<number, string>;
  selector?: string;
  options?: Partial<DecideOptions>;
}

/** The controller-test flags: 2 min CPU init, 10 s readiness delay, 0.1 tolerance, 5 min window. */
export const TEST_OPTIONS: Partial<DecideOptions> = {
  cpuInitializationPeriodMs: 120_000,
  initialReadinessDelayMs: 10_000,
};

function podMetricsFor(s: HorizontalScenario): MetricData {
  return s.levels.map((level, i) => ({
    metadata: { name: `test-pod-${i}`, namespace: 'test-namespace' },
    timestamp: NOW.toISOString(),
    window: '1m0s',
    containers: ['container1', 'container2'].map((name) => ({
      name,
      usage: { cpu: `${Math.trunc(level / 2)}m` },
    })),
  }));
}

function dataFor(s: HorizontalScenario, spec: MetricSpec, i: number): MetricData {
  const error = s.fetchErrors?.[i];
  if (error !== undefined) {
    return { error };
  }
  switch (spec.type) {
    case 'Pods':
      return makePodValues(s.levels);
    case 'Object':
      return [makeObjectValue(s.levels[0] ?? 0)];
    case 'External':
      return makeExternalValues(s.levels);
    default:
      return podMetricsFor(s);
  }
}

/** The HPA object of a scenario (status as upstream's fixtures leave it). */
export function scenarioHPA(s: HorizontalScenario): HorizontalPodAutoscaler {
  const metrics = [...(s.cpuTarget ? [cpuTarget(s.cpuTarget)] : []), ...(s.metrics ?? [])];
  return makeHPA(
    {
      minReplicas: s.min,
      maxReplicas: s.max,
      metrics: metrics.length
        ? metrics
        : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }],
      ...(s.behavior ? { behavior: s.behavior } : {}),
    },
    {
      currentReplicas: s.specReplicas,
      desiredReplicas: s.specReplicas,
      conditions: s.conditions ?? [],
    },
  );
}

/** The decideScale input of a scenario. */
export function scenarioInput(s: HorizontalScenario): DecideInput {
  const hpa = scenarioHPA(s);
  const requests = s.requests ?? Array<string>(s.statusReplicas ?? s.specReplicas).fill('1.0');
  const half = requests.map((r) => `${milliValue(r) / 2n}m`);
  const pods = makePods({
    count: requests.length,
    containerRequests: half,
    readiness: s.readiness,
    startTimes: s.startTimes,
    transitions: s.startTimes,
  });
  return {
    hpa,
    scale: {
      specReplicas: s.specReplicas,
      statusReplicas: s.statusReplicas ?? s.specReplicas,
      selector: s.selector ?? 'name=test-pod',
    },
    pods,
    metricData: effectiveMetrics(hpa.spec).map((spec, i) => dataFor(s, spec, i)),
    state: {
      recommendations: s.recommendations ?? null,
      scaleUpEvents: s.state?.scaleUpEvents ?? [],
      scaleDownEvents: s.state?.scaleDownEvents ?? [],
    },
    now: NOW,
    options: { ...TEST_OPTIONS, ...s.options },
  };
}

/** decideScale, then a successful UPDATE when it rescales, then the status to write. */
export function reconcile(s: HorizontalScenario): {
  decision: ScaleDecision;
  status: NonNullable<HorizontalPodAutoscaler['status']>;
  conditions: [string, string, string][];
} {
  const input = scenarioInput(s);
  const decision = decideScale(input);
  const rescale = decision.rescale
    ? recordRescaleSuccess({ hpa: input.hpa, decision, now: NOW })
    : undefined;
  const status = buildStatus(input.hpa, decision, rescale);
  const conditions = (status.conditions ?? []).map((c): [string, string, string] => [
    c.type,
    c.status,
    c.reason ?? '',
  ]);
  return { decision, status, conditions };
}
