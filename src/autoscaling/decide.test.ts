// Whole reconciles through decideScale + recordRescaleSuccess, with the scenarios and expected
// conditions of upstream's horizontal_test.go (TestScaleUp*, TestScaleDown*, TestTolerance, ...).
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../apis/autoscaling/types.js';
import { decideScale } from './decide.js';
import { recordRescaleSuccess } from './rescale.js';
import { NOW, ago } from './testing/fixtures.js';
import type { HorizontalScenario } from './testing/controller-scenario.js';
import { reconcile, scenarioInput } from './testing/controller-scenario.js';

type Cond = [string, string, string];
const OK: Cond[] = [
  ['AbleToScale', 'True', 'SucceededRescale'],
  ['ScalingActive', 'True', 'ValidMetricFound'],
  ['ScalingLimited', 'False', 'DesiredWithinRange'],
];
const READY: Cond[] = [['AbleToScale', 'True', 'ReadyForNewScale'], OK[1]!, OK[2]!];
const T = 'True' as const;
const F = 'False' as const;
const mixed = ['0.9', '1.0', '1.1'];

const qpsPods: MetricSpec = {
  type: 'Pods',
  pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '20.0' } },
};
const deploymentRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' };
const qpsObject = (type: 'Value' | 'AverageValue', q: string): MetricSpec => ({
  type: 'Object',
  object: {
    describedObject: deploymentRef,
    metric: { name: 'qps', selector: {} },
    target: type === 'Value' ? { type, value: q } : { type, averageValue: q },
  },
});
const qpsExternal = (type: 'Value' | 'AverageValue', q: string): MetricSpec => ({
  type: 'External',
  external: {
    metric: { name: 'qps', selector: {} },
    target: type === 'Value' ? { type, value: q } : { type, averageValue: q },
  },
});

interface Case {
  name: string;
  s: HorizontalScenario;
  desired: number;
  conditions: Cond[];
}

// prettier-ignore
const cases: Case[] = [
  { name: 'scale up', s: { min: 2, max: 6, specReplicas: 3, cpuTarget: 30, levels: [300, 500, 700] }, desired: 5, conditions: OK },
  { name: 'scale up with unready pods results in less scale', s: { min: 2, max: 6, specReplicas: 3, cpuTarget: 30, levels: [300, 500, 700], readiness: [F, T, T] }, desired: 4, conditions: OK },
  { name: 'scale up with hot cpu pods results in less scale', s: { min: 2, max: 6, specReplicas: 3, cpuTarget: 30, levels: [300, 500, 700], startTimes: [NOW.toISOString(), ago(180), ago(180)] }, desired: 4, conditions: OK },
  { name: 'unready pods excluded from scaling', s: { min: 2, max: 6, specReplicas: 3, cpuTarget: 30, levels: [400, 500, 700], readiness: [T, F, F] }, desired: 3, conditions: READY },
  { name: 'container resource scale up', s: { min: 2, max: 6, specReplicas: 3, levels: [300, 500, 700], metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'container1', target: { type: 'Utilization', averageUtilization: 30 } } }] }, desired: 5, conditions: OK },
  { name: 'scale down', s: { min: 2, max: 6, specReplicas: 5, cpuTarget: 50, levels: [100, 300, 500, 250, 250], recommendations: [] }, desired: 3, conditions: OK },
  { name: 'scale down is held by an absent (seeded) history', s: { min: 2, max: 6, specReplicas: 5, cpuTarget: 50, levels: [100, 300, 500, 250, 250] }, desired: 5, conditions: [['AbleToScale', 'True', 'ScaleDownStabilized'], OK[1]!, OK[2]!] },
  { name: 'stabilize downscale', s: { min: 1, max: 5, specReplicas: 4, cpuTarget: 100, levels: [50, 50, 50], requests: ['0.1', '0.1', '0.1'], recommendations: [{ recommendation: 10, timestampMs: NOW.getTime() - 600_000 }, { recommendation: 4, timestampMs: NOW.getTime() - 60_000 }] }, desired: 4, conditions: [['AbleToScale', 'True', 'ScaleDownStabilized'], OK[1]!, OK[2]!] },
  { name: 'CPU resource metric within tolerance', s: { min: 1, max: 5, specReplicas: 3, cpuTarget: 100, levels: [1010, 1030, 1020], requests: mixed }, desired: 3, conditions: READY },
  { name: 'pods metric within tolerance', s: { min: 1, max: 5, specReplicas: 3, metrics: [qpsPods], levels: [20000, 20001, 21000], requests: mixed }, desired: 3, conditions: READY },
  { name: 'object metric with value target within tolerance', s: { min: 1, max: 5, specReplicas: 3, metrics: [qpsObject('Value', '20.0')], levels: [20050], requests: mixed }, desired: 3, conditions: READY },
  { name: 'external metric with value target within tolerance', s: { min: 2, max: 6, specReplicas: 4, metrics: [qpsExternal('Value', '8666m')], levels: [8600] }, desired: 4, conditions: READY },
  { name: 'per-pod object metric within tolerance', s: { min: 2, max: 6, specReplicas: 4, metrics: [qpsObject('AverageValue', '2200m')], levels: [8600] }, desired: 4, conditions: READY },
  { name: 'per-pod external metric within tolerance', s: { min: 2, max: 6, specReplicas: 4, metrics: [qpsExternal('AverageValue', '2200m')], levels: [8600] }, desired: 4, conditions: READY },
  { name: 'scale down clamped to min replicas', s: { min: 2, max: 5, specReplicas: 3, cpuTarget: 90, levels: [10, 95, 10], requests: mixed, recommendations: [] }, desired: 2, conditions: [OK[0]!, OK[1]!, ['ScalingLimited', 'True', 'TooFewReplicas']] },
  { name: 'scale up to min when below min replicas', s: { min: 2, max: 6, specReplicas: 1, levels: [0, 0, 0, 0], requests: ['1.0', '1.0', '1.0', '1.0'] }, desired: 2, conditions: [OK[0]!] },
  { name: 'scale down to max when above max replicas', s: { min: 2, max: 5, specReplicas: 6, cpuTarget: 50, levels: [8000, 9500, 1000], requests: mixed }, desired: 5, conditions: [OK[0]!] },
  { name: 'manual scale to zero disables the HPA', s: { min: 1, max: 6, specReplicas: 0, cpuTarget: 50, levels: [], requests: [] }, desired: 0, conditions: [['AbleToScale', 'True', 'SucceededGetScale'], ['ScalingActive', 'False', 'ScalingDisabled']] },
  { name: 'one failing metric blocks scale-down', s: { min: 2, max: 6, specReplicas: 5, cpuTarget: 50, metrics: [qpsExternal('Value', '1000m')], fetchErrors: { 1: 'something went wrong' }, levels: [100, 300, 500, 250, 250], recommendations: [] }, desired: 5, conditions: [['AbleToScale', 'True', 'SucceededGetScale'], ['ScalingActive', 'False', 'FailedGetExternalMetric']] },
  { name: 'one failing metric does not block scale-up', s: { min: 2, max: 6, specReplicas: 3, cpuTarget: 30, metrics: [qpsExternal('Value', '100m')], fetchErrors: { 1: 'something went wrong' }, levels: [300, 400, 500] }, desired: 4, conditions: OK },
  { name: 'no metrics at all', s: { min: 2, max: 6, specReplicas: 4, cpuTarget: 100, levels: [] }, desired: 4, conditions: [['AbleToScale', 'True', 'SucceededGetScale'], ['ScalingActive', 'False', 'FailedGetResourceMetric']] },
  { name: 'configurable 1% scale-up tolerance', s: { min: 1, max: 5, specReplicas: 3, cpuTarget: 100, levels: [1010, 1030, 1020], requests: mixed, behavior: { scaleUp: { tolerance: '0.01' } as never }, options: { configurableTolerance: true } }, desired: 4, conditions: OK },
  { name: 'configurable 90% scale-down tolerance', s: { min: 1, max: 5, specReplicas: 3, cpuTarget: 100, levels: [300, 300, 300], behavior: { scaleDown: { tolerance: '0.9' } as never }, options: { configurableTolerance: true } }, desired: 3, conditions: READY },
  { name: 'configurable tolerance ignored with the gate off', s: { min: 1, max: 5, specReplicas: 3, cpuTarget: 100, levels: [1010, 1030, 1020], requests: mixed, behavior: { scaleUp: { tolerance: '0.01' } as never } }, desired: 3, conditions: READY },
];

describe('decideScale (controller scenarios)', () => {
  it.each(cases)('$name', ({ s, desired, conditions }) => {
    const { status, conditions: got } = reconcile(s);
    expect(status.desiredReplicas).toBe(desired);
    expect(got).toEqual(conditions);
  });
});

describe('decideScale details', () => {
  it('reports the metric, reason, events and status of a scale-up', () => {
    const { decision, status } = reconcile({
      min: 2,
      max: 6,
      specReplicas: 3,
      cpuTarget: 30,
      levels: [300, 500, 700],
    });
    expect(decision.reason).toBe('cpu resource utilization (percentage of request) above target');
    expect(status.currentMetrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageValue: '500m', averageUtilization: 50 } },
      },
    ]);
    expect(status.conditions?.find((c) => c.type === 'ScalingActive')?.message).toBe(
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    );
    expect(status.conditions?.[0]).toEqual({
      type: 'AbleToScale',
      status: 'True',
      lastTransitionTime: '2024-05-01T12:00:00Z',
      reason: 'SucceededRescale',
      message: 'the HPA controller was able to update the target scale to 5',
    });
    expect(status.lastScaleTime).toBe('2024-05-01T12:00:00Z');
    expect(decision.explanation).toBe(
      'The cpu resource utilization (percentage of request) proposes 5 replicas: scaling from 3 to 5.',
    );
  });

  it('keeps the previous desiredReplicas and emits both warnings when every metric fails', () => {
    const { decision, status } = reconcile({
      min: 2,
      max: 6,
      specReplicas: 4,
      cpuTarget: 100,
      levels: [],
    });
    expect(decision.metricsFailed).toBe(true);
    expect(decision.rescale).toBe(false);
    const cause =
      'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    expect(decision.events).toEqual([
      { type: 'Warning', reason: 'FailedGetResourceMetric', message: cause },
      {
        type: 'Warning',
        reason: 'FailedComputeMetricsReplicas',
        message: `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`,
      },
    ]);
    expect(decision.error).toBe(
      `failed to compute desired number of replicas based on listed metrics for ReplicationController/test-namespace/test-rc: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`,
    );
    expect(status.currentMetrics).toEqual([{ type: '' }]);
    expect(status.desiredReplicas).toBe(4);
  });

  it.each([
    {
      name: 'missing',
      selector: '',
      reason: 'InvalidSelector',
      event: ['SelectorRequired', 'selector is required'],
      message: "the HPA target's scale is missing a selector",
    },
    {
      name: 'unparsable',
      selector: 'a in (',
      reason: 'InvalidSelector',
      event: ['InvalidSelector'],
      message: "couldn't convert selector into a corresponding internal selector object",
    },
  ])('rejects a $name selector', ({ selector, reason, event, message }) => {
    const decision = decideScale(
      scenarioInput({
        min: 1,
        max: 5,
        specReplicas: 3,
        cpuTarget: 50,
        levels: [100, 100, 100],
        selector,
      }),
    );
    expect(decision.metricsFailed).toBe(true);
    const cond = decision.conditions.find((c) => c.type === 'ScalingActive');
    expect([cond?.status, cond?.reason]).toEqual(['False', reason]);
    expect(cond?.message).toContain(message);
    expect(decision.events[0]?.reason).toBe(event[0]);
    if (event[1]) {
      expect(decision.events[0]?.message).toBe(event[1]);
    }
    expect(decision.currentMetrics).toEqual([]);
  });

  it('rejects pods selected by more than one HPA', () => {
    const input = {
      ...scenarioInput({ min: 1, max: 5, specReplicas: 3, cpuTarget: 50, levels: [100, 100, 100] }),
      hpasSelectingPods: ['test-namespace/test-hpa', 'test-namespace/other'],
    };
    const decision = decideScale(input);
    const message =
      'pods by selector name=test-pod are controlled by more than one HPA (e.g. [test-namespace/test-hpa test-namespace/other])';
    expect(decision.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'AmbiguousSelector',
      message,
    });
    expect(decision.events[0]).toEqual({ type: 'Warning', reason: 'AmbiguousSelector', message });
  });

  it('never mutates its input state or HPA', () => {
    const input = scenarioInput({
      min: 2,
      max: 6,
      specReplicas: 5,
      cpuTarget: 50,
      levels: [100, 300, 500, 250, 250],
      recommendations: [],
    });
    const before = JSON.stringify(input);
    const decision = decideScale(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(decision.state.recommendations).toHaveLength(1);
  });

  it('keeps lastTransitionTime when a condition keeps its status', () => {
    const conditions = [
      {
        type: 'AbleToScale',
        status: 'True',
        lastTransitionTime: '2020-01-01T00:00:00Z',
        reason: 'X',
        message: 'x',
      },
    ];
    const decision = decideScale(
      scenarioInput({
        min: 1,
        max: 5,
        specReplicas: 3,
        cpuTarget: 100,
        levels: [1000, 1000, 1000],
        conditions,
      }),
    );
    expect(decision.conditions[0]).toMatchObject({
      type: 'AbleToScale',
      lastTransitionTime: '2020-01-01T00:00:00Z',
      reason: 'ReadyForNewScale',
    });
    expect(decision.conditions[1]).toMatchObject({
      type: 'ScalingActive',
      lastTransitionTime: '2024-05-01T12:00:00Z',
    });
  });

  it('drops a stale ScaledToZero condition when disabled (the gate is off)', () => {
    const conditions = [
      { type: 'ScaledToZero', status: 'True', reason: 'ScaledToZero', message: '' },
    ];
    const decision = decideScale(
      scenarioInput({
        min: 1,
        max: 5,
        specReplicas: 0,
        cpuTarget: 50,
        levels: [],
        requests: [],
        conditions,
      }),
    );
    expect(decision.conditions.map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive']);
  });
});

describe('behavior mode', () => {
  const s: HorizontalScenario = {
    min: 1,
    max: 100,
    specReplicas: 10,
    cpuTarget: 10,
    levels: Array<number>(10).fill(1000),
    behavior: {},
  };

  it('allows max(current + 4, 2 x current) per 15 s by default', () => {
    const { decision } = reconcile(s);
    expect([
      decision.desiredReplicas,
      decision.conditions.find((c) => c.type === 'ScalingLimited')?.reason,
    ]).toEqual([20, 'ScaleUpLimit']);
  });

  it('counts earlier scale events of the window', () => {
    const { decision } = reconcile({
      ...s,
      state: {
        scaleUpEvents: [{ replicaChange: 5, timestampMs: NOW.getTime() - 5_000, outdated: false }],
      },
    });
    expect(decision.desiredReplicas).toBe(10); // 10 - 5 = 5 at the period start: max(5 + 4, 10) = 10.
    expect(decision.rescale).toBe(false);
  });

  it('legacy mode allows max(2 x current, 4) with no history', () => {
    const { decision } = reconcile({
      ...s,
      behavior: undefined,
      state: {
        scaleUpEvents: [{ replicaChange: 5, timestampMs: NOW.getTime() - 5_000, outdated: false }],
      },
    });
    expect(decision.desiredReplicas).toBe(20);
  });

  it('records the scale event after a successful rescale, only with a behavior', () => {
    const input = scenarioInput(s);
    const decision = decideScale(input);
    const result = recordRescaleSuccess({ hpa: input.hpa, decision, now: NOW });
    expect(result.state.scaleUpEvents).toEqual([
      { replicaChange: 10, timestampMs: NOW.getTime(), outdated: false },
    ]);
    const legacy = scenarioInput({ ...s, behavior: undefined });
    const legacyResult = recordRescaleSuccess({
      hpa: legacy.hpa,
      decision: decideScale(legacy),
      now: NOW,
    });
    expect(legacyResult.state.scaleUpEvents).toEqual([]);
  });
});
