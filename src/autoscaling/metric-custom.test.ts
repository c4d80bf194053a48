// Pods, Object and External metrics through computeReplicasForMetric, from upstream's
// TestReplicaCalc{PodMetric,ObjectMetric,ObjectPerPodMetric,ExternalMetric,ExternalPerPodMetric}.
import { describe, expect, it } from 'vitest';
import type { MetricSpec, MetricValueStatus } from '../apis/autoscaling/types.js';
import { computeReplicasForMetric } from './compute-metrics.js';
import type { MetricContext, MetricOutcome } from './metric-outcome.js';
import { milliValue } from './milli.js';
import {
  NOW,
  ago,
  makeExternalValues,
  makeHPA,
  makeObjectValue,
  makePodValues,
  makePods,
} from './testing/fixtures.js';
import type { Tolerances } from './tolerance.js';
import type { MetricData } from './types.js';

const MAX64 = 2n ** 63n - 1n;
const MAX32 = 2 ** 31 - 1;
const SELECTOR = { matchLabels: { label: 'value' } };
const T = 'True' as const;
const F = 'False' as const;

const podsSpec = (target: bigint): MetricSpec => ({
  type: 'Pods',
  pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: `${target}m` } },
});
const objectSpec = (type: 'Value' | 'AverageValue', target: bigint): MetricSpec => ({
  type: 'Object',
  object: {
    describedObject: { kind: 'Deployment', name: 'some-deployment', apiVersion: 'apps/v1' },
    metric: { name: 'qps' },
    target: type === 'Value' ? { type, value: `${target}m` } : { type, averageValue: `${target}m` },
  },
});
const externalSpec = (type: 'Value' | 'AverageValue', target: bigint): MetricSpec => ({
  type: 'External',
  external: {
    metric: { name: 'qps', selector: SELECTOR },
    target: type === 'Value' ? { type, value: `${target}m` } : { type, averageValue: `${target}m` },
  },
});

interface Scenario {
  current: number;
  readiness?: ('True' | 'False')[];
  startTimes?: string[];
  phases?: string[];
  tolerances?: Tolerances;
}

function compute(s: Scenario, spec: MetricSpec, data: MetricData): MetricOutcome {
  const ctx: MetricContext = {
    hpa: makeHPA({}),
    scale: { specReplicas: s.current, statusReplicas: s.current, selector: 'name=test-pod' },
    pods: makePods({ count: Math.max(s.current, s.phases?.length ?? 0), ...s }),
    tolerances: s.tolerances ?? { scaleDown: 0.1, scaleUp: 0.1 },
    timing: {
      cpuInitializationPeriodMs: 120_000,
      initialReadinessDelayMs: 10_000,
      nowMs: NOW.getTime(),
    },
  };
  return computeReplicasForMetric(ctx, spec, data);
}

function current(outcome: MetricOutcome): MetricValueStatus | undefined {
  if (!outcome.ok) {
    throw new Error(outcome.error);
  }
  const s = outcome.status;
  return (s.pods ?? s.object ?? s.external)?.current;
}

const valueOf = (q: string | number | undefined): bigint => milliValue(q ?? 0);
const ONE_PERCENT_UP = { scaleDown: 0.1, scaleUp: 0.01 };

describe('Pods metrics (plain calculator)', () => {
  // prettier-ignore
  it.each([
    { name: 'scale up', s: { current: 3 }, levels: [20000, 10000, 30000], target: 15000n, want: [4, 20000n] },
    { name: 'unready hot-CPU pod scales less', s: { current: 3, readiness: [T, T, F], startTimes: [ago(180), ago(180), NOW.toISOString()] }, levels: [50000, 10000, 30000], target: 15000n, want: [6, 30000n] },
    { name: 'unready hot-CPU pods avoid scale-down', s: { current: 3, readiness: [F, T, F], startTimes: [NOW.toISOString(), ago(180), NOW.toISOString()] }, levels: [50000, 15000, 30000], target: 15000n, want: [7, 31666n] },
    { name: 'scale down', s: { current: 5 }, levels: [12000, 12000, 12000, 12000, 12000], target: 20000n, want: [3, 12000n] },
    { name: 'within default tolerance', s: { current: 3 }, levels: [20000, 21000, 21000], target: 20000n, want: [3, 20666n] },
    { name: 'outside configurable 1% tolerance', s: { current: 3, tolerances: ONE_PERCENT_UP }, levels: [20000, 21000, 21000], target: 20000n, want: [4, 20666n] },
    { name: 'no change: missing metrics', s: { current: 5 }, levels: [20000, 19000, 21000], target: 20000n, want: [5, 20000n] },
    { name: 'rolling update with maxSurge: extra pod missing metric', s: { current: 2, phases: ['Running', 'Running', 'Running'] }, levels: [10000, 10000], target: 17000n, want: [2, 10000n] },
  ] as { name: string; s: Scenario; levels: number[]; target: bigint; want: [number, bigint] }[])(
    '$name',
    ({ s, levels, target, want }) => {
      const outcome = compute(s, podsSpec(target), makePodValues(levels));
      expect([outcome.ok && outcome.replicas, valueOf(current(outcome)?.averageValue)]).toEqual(
        want,
      );
      expect(outcome.ok && outcome.metricName).toBe('pods metric qps');
    },
  );
});

type Row = { name: string; s: Scenario; level: bigint; target: bigint; want: [number, bigint] };

describe('Object metrics', () => {
  // prettier-ignore
  it.each([
    { name: 'scale up', s: { current: 3 }, level: 20000n, target: 15000n, want: [4, 20000n] },
    { name: 'very large metric saturates replicas to MaxInt32', s: { current: 3 }, level: MAX64, target: 1n, want: [MAX32, MAX64] },
    { name: 'ignores unready pods', s: { current: 3, readiness: [F, T, F] }, level: 50000n, target: 10000n, want: [5, 50000n] },
    { name: 'scale down', s: { current: 5 }, level: 12000n, target: 20000n, want: [3, 12000n] },
    { name: 'within default tolerance', s: { current: 3 }, level: 20666n, target: 20000n, want: [3, 20666n] },
    { name: 'outside configurable 1% tolerance', s: { current: 3, tolerances: ONE_PERCENT_UP }, level: 20666n, target: 20000n, want: [4, 20666n] },
    { name: 'from zero: ceil(ratio), no tolerance', s: { current: 0 }, level: 20500n, target: 20000n, want: [2, 20500n] },
  ] as Row[])('Value: $name', ({ s, level, target, want }) => {
    const outcome = compute(s, objectSpec('Value', target), [makeObjectValue(level)]);
    expect([outcome.ok && outcome.replicas, valueOf(current(outcome)?.value)]).toEqual(want);
    expect(outcome.ok && outcome.metricName).toBe('Deployment metric qps');
  });

  // prettier-ignore
  it.each([
    { name: 'usage overflow with huge target leaves replicas unchanged', s: { current: 1 }, level: MAX64, target: MAX64, want: [1, MAX64] },
    { name: 'scale up', s: { current: 3 }, level: 20000n, target: 5000n, want: [4, 6667n] },
    { name: 'scale down', s: { current: 5 }, level: 6000n, target: 2000n, want: [3, 1200n] },
    { name: 'within default tolerance', s: { current: 4 }, level: 20166n, target: 5000n, want: [4, 5042n] },
    { name: 'outside configurable 1% tolerance', s: { current: 4, tolerances: ONE_PERCENT_UP }, level: 20208n, target: 5000n, want: [5, 5052n] },
    { name: 'statusReplicas zero does not overflow usage', s: { current: 0 }, level: 20000n, target: 5000n, want: [4, 0n] },
    { name: 'statusReplicas zero and metric zero does not underflow', s: { current: 0 }, level: 0n, target: 5000n, want: [0, 0n] },
  ] as Row[])('AverageValue: $name', ({ s, level, target, want }) => {
    const outcome = compute(s, objectSpec('AverageValue', target), makeObjectValue(level));
    expect([outcome.ok && outcome.replicas, valueOf(current(outcome)?.averageValue)]).toEqual(want);
    expect(outcome.ok && outcome.metricName).toBe('external metric qps(nil)');
  });
});

type ExtRow = {
  name: string;
  s: Scenario;
  levels: bigint[];
  target: bigint;
  want: [number, bigint];
};
const HALF = MAX64 / 2n + 1n;

describe('External metrics', () => {
  // prettier-ignore
  it.each([
    { name: 'ignores unready pods (would otherwise scale up)', s: { current: 3, readiness: [F, T, F] }, levels: [8600n], target: 4400n, want: [2, 8600n] },
    { name: 'scale down', s: { current: 5 }, levels: [8600n], target: 14334n, want: [3, 8600n] },
    { name: 'within default tolerance', s: { current: 3 }, levels: [8600n], target: 8888n, want: [3, 8600n] },
    { name: 'outside configurable 1% tolerance', s: { current: 3, tolerances: ONE_PERCENT_UP }, levels: [8900n], target: 8800n, want: [4, 8900n] },
    { name: 'usage overflow caps at MaxInt64', s: { current: 3 }, levels: [HALF, HALF], target: MAX64, want: [3, MAX64] },
    { name: 'sums every series', s: { current: 2 }, levels: [3000n, 3000n], target: 2000n, want: [6, 6000n] },
  ] as ExtRow[])('Value: $name', ({ s, levels, target, want }) => {
    const outcome = compute(s, externalSpec('Value', target), makeExternalValues(levels));
    expect([outcome.ok && outcome.replicas, valueOf(current(outcome)?.value)]).toEqual(want);
  });

  // prettier-ignore
  it.each([
    { name: 'replica count overflow saturates to MaxInt32', s: { current: 1 }, levels: [MAX64], target: 1n, want: [MAX32, MAX64] },
    { name: 'usage overflow with huge target leaves replicas unchanged', s: { current: 1 }, levels: [MAX64], target: MAX64, want: [1, MAX64] },
    { name: 'wrapped sum saturates to MaxInt64', s: { current: 1 }, levels: [HALF, HALF], target: MAX64, want: [1, MAX64] },
    { name: 'statusReplicas zero does not overflow usage', s: { current: 0 }, levels: [20000n], target: 5000n, want: [4, 0n] },
    { name: 'statusReplicas zero and metric zero does not underflow', s: { current: 0 }, levels: [0n], target: 5000n, want: [0, 0n] },
    { name: 'scale up', s: { current: 3 }, levels: [8600n], target: 2150n, want: [4, 2867n] },
    { name: 'scale down', s: { current: 5 }, levels: [8600n], target: 2867n, want: [3, 1720n] },
    { name: 'within default tolerance', s: { current: 3 }, levels: [8600n], target: 2900n, want: [3, 2867n] },
    { name: 'outside configurable 1% tolerance', s: { current: 3, tolerances: ONE_PERCENT_UP }, levels: [8600n], target: 2800n, want: [4, 2867n] },
  ] as ExtRow[])('AverageValue: $name', ({ s, levels, target, want }) => {
    const outcome = compute(s, externalSpec('AverageValue', target), makeExternalValues(levels));
    expect([outcome.ok && outcome.replicas, valueOf(current(outcome)?.averageValue)]).toEqual(want);
  });

  it("names the metric with Go's rendering of its selector", () => {
    const outcome = compute(
      { current: 3 },
      externalSpec('Value', 8888n),
      makeExternalValues([8600n]),
    );
    expect(outcome.ok && outcome.metricName).toBe(
      'external metric qps(&LabelSelector{MatchLabels:map[string]string{label: value,},MatchExpressions:[]LabelSelectorRequirement{},})',
    );
  });
});

describe('metric failures', () => {
  const boom = { error: 'boom' };
  // prettier-ignore
  it.each([
    { name: 'Pods fetch error', spec: podsSpec(1000n), data: boom, reason: 'FailedGetPodsMetric', err: 'unable to get metric qps: unable to fetch metrics from custom metrics API: boom', returned: 'failed to get pods metric value: unable to get metric qps: unable to fetch metrics from custom metrics API: boom' },
    { name: 'Pods empty list', spec: podsSpec(1000n), data: [], reason: 'FailedGetPodsMetric', err: 'unable to get metric qps: no metrics returned from custom metrics API', returned: 'failed to get pods metric value: unable to get metric qps: no metrics returned from custom metrics API' },
    { name: 'Object Value fetch error', spec: objectSpec('Value', 1000n), data: boom, reason: 'FailedGetObjectMetric', err: 'unable to get metric qps on Deployment test-namespace/some-deployment: unable to fetch metrics from custom metrics API: boom', returned: 'failed to get object metric value: unable to get metric qps on Deployment test-namespace/some-deployment: unable to fetch metrics from custom metrics API: boom' },
    { name: 'Object AverageValue fetch error', spec: objectSpec('AverageValue', 1000n), data: boom, reason: 'FailedGetObjectMetric', err: 'unable to get metric qps on Deployment test-namespace/some-deployment: unable to fetch metrics from custom metrics API: boom', returned: 'failed to get object metric value: failed to get qps object metric: unable to get metric qps on Deployment test-namespace/some-deployment: unable to fetch metrics from custom metrics API: boom' },
    { name: 'External empty list', spec: externalSpec('Value', 1000n), data: [], reason: 'FailedGetExternalMetric', err: 'unable to get external metric test-namespace/qps/&LabelSelector{MatchLabels:map[string]string{label: value,},MatchExpressions:[]LabelSelectorRequirement{},}: no metrics returned from external metrics API', returned: 'failed to get qps external metric value: failed to get external metric qps: unable to get external metric test-namespace/qps/&LabelSelector{MatchLabels:map[string]string{label: value,},MatchExpressions:[]LabelSelectorRequirement{},}: no metrics returned from external metrics API' },
    { name: 'External without a target', spec: { type: 'External', external: { metric: { name: 'qps' }, target: { type: 'Value' } } }, data: [], reason: 'FailedGetExternalMetric', err: 'invalid external metric source: neither a value target nor an average value target was set', returned: 'failed to get qps external metric value: invalid external metric source: neither a value target nor an average value target was set' },
    { name: 'Resource fetch error', spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }, data: boom, reason: 'FailedGetResourceMetric', err: 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: boom', returned: 'failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: boom' },
    { name: 'Resource without a target', spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }, data: [], reason: 'FailedGetResourceMetric', err: 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set', returned: 'failed to get cpu resource metric value: invalid resource metric source: neither an average utilization target nor an average value (usage) target was set' },
    { name: 'ContainerResource fetch error', spec: { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'AverageValue', averageValue: '100m' } } }, data: boom, reason: 'FailedGetContainerResourceMetric', err: 'failed to get cpu usage: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: boom', returned: 'failed to get app container metric value: failed to get cpu usage: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: boom' },
    { name: 'unknown source type', spec: { type: 'Bogus' }, data: [], reason: 'InvalidMetricSourceType', err: 'unknown metric source type "Bogus"', returned: 'unknown metric source type "Bogus"' },
  ] as {
    name: string;
    spec: MetricSpec;
    data: MetricData;
    reason: string;
    err: string;
    returned: string;
  }[])('$name', ({ spec, data, reason, err, returned }) => {
    const outcome = compute({ current: 3 }, spec, data);
    expect(outcome).toEqual({
      ok: false,
      error: returned,
      condition: {
        type: 'ScalingActive',
        status: 'False',
        reason,
        message: `the HPA was unable to compute the replica count: ${err}`,
      },
      events: [{ type: 'Warning', reason, message: err }],
    });
  });

  it('fails an Object Value target when there are no pods to count as ready', () => {
    const outcome = compute({ current: 0 }, objectSpec('Value', 1000n), makeObjectValue(5000n));
    expect(outcome.ok && outcome.replicas).toBe(5);
    const ctxless = computeReplicasForMetric(
      {
        hpa: makeHPA({}),
        scale: { specReplicas: 3, statusReplicas: 3, selector: 'name=test-pod' },
        pods: [],
        tolerances: { scaleDown: 0.1, scaleUp: 0.1 },
        timing: { cpuInitializationPeriodMs: 0, initialReadinessDelayMs: 0, nowMs: 0 },
      },
      objectSpec('Value', 1000n),
      makeObjectValue(5000n),
    );
    expect(!ctxless.ok && ctxless.condition.message).toBe(
      'the HPA was unable to compute the replica count: unable to calculate ready pods: no pods returned by selector while calculating replica count',
    );
  });
});
