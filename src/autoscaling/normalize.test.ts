// Normalization tables: legacy stabilization and clamping (TestNormalizeDesiredReplicas,
// TestConvertDesiredReplicasWithRules) and behavior mode (TestScalingWithRules,
// TestNormalizeDesiredReplicasWithBehavior, TestCalculateScale{Up,Down}Limit...).
import { describe, expect, it } from 'vitest';
import type { HPAScalingRules } from '../apis/autoscaling/types.js';
import { defaultedBehavior } from './behavior.js';
import type { BehaviorInput } from './normalize-behavior.js';
import {
  convertWithBehaviorRate,
  normalizeWithBehavior,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeWithBehaviors,
} from './normalize-behavior.js';
import {
  convertDesiredReplicasWithRules,
  normalizeLegacy,
  stabilizeRecommendation,
} from './normalize-legacy.js';
import { NOW, uniformEvents } from './testing/fixtures.js';
import type { ScaleEvent, TimestampedRecommendation } from './types.js';

const nowMs = NOW.getTime();
const rec = (recommendation: number, secondsAgo: number): TimestampedRecommendation => ({
  recommendation,
  timestampMs: nowMs - secondsAgo * 1000,
});

describe('legacy stabilizeRecommendation (5 min window)', () => {
  // prettier-ignore
  it.each([
    { name: 'empty log', recs: [], proposal: 5, want: 5, length: 1 },
    { name: 'stabilize', recs: [rec(4, 120), rec(5, 60)], proposal: 3, want: 5, length: 3 },
    { name: 'no stabilize', recs: [rec(1, 120), rec(2, 60)], proposal: 3, want: 3, length: 3 },
    { name: 'no stabilize - old recommendations', recs: [rec(10, 600), rec(9, 540)], proposal: 3, want: 3, length: 2 },
    { name: 'stabilize - old recommendations', recs: [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)], proposal: 3, want: 5, length: 4 },
    { name: 'an entry exactly at the cutoff still counts', recs: [rec(7, 300)], proposal: 3, want: 7, length: 2 },
  ])('$name', ({ recs, proposal, want, length }) => {
    const result = stabilizeRecommendation(recs, proposal, nowMs, 300_000);
    expect(result.stabilized).toBe(want);
    expect(result.recommendations).toHaveLength(length);
    expect(result.recommendations).toContainEqual({ recommendation: proposal, timestampMs: nowMs });
  });

  it('overwrites the last stale entry and leaves the input alone', () => {
    const recs = [rec(10, 600), rec(9, 540)];
    const result = stabilizeRecommendation(recs, 3, nowMs, 300_000);
    expect(result.recommendations.map((r) => r.recommendation)).toEqual([10, 3]);
    expect(recs.map((r) => r.recommendation)).toEqual([10, 9]);
  });
});

describe('convertDesiredReplicasWithRules', () => {
  // prettier-ignore
  it.each([
    { current: 5, desired: 7, min: 3, max: 8, factor: 8, want: [7, 'DesiredWithinRange'] },
    { current: 3, desired: 1, min: 2, max: 8, factor: 8, want: [2, 'TooFewReplicas'] },
    { current: 1, desired: 0, min: 0, max: 10, factor: 8, want: [0, 'DesiredWithinRange'] },
    { current: 20, desired: 1000, min: 1, max: 10, factor: 8, want: [10, 'TooManyReplicas'] },
    { current: 3, desired: 1000, min: 1, max: 2000, factor: 8, want: [24, 'ScaleUpLimit'] },
    { current: 3, desired: 1000, min: 1, max: 2000, factor: 2, want: [6, 'ScaleUpLimit'] },
    { current: 1, desired: 1000, min: 1, max: 2000, factor: 2, want: [4, 'ScaleUpLimit'] },
  ])('current $current, desired $desired in [$min, $max] (factor $factor)', (c) => {
    const limited = convertDesiredReplicasWithRules(
      {
        currentReplicas: c.current,
        minReplicas: c.min,
        maxReplicas: c.max,
        scaleUpLimitFactor: c.factor,
      },
      c.desired,
    );
    expect([limited.replicas, limited.reason]).toEqual(c.want);
  });

  it('sets AbleToScale and ScalingLimited as upstream does', () => {
    const result = normalizeLegacy({
      recommendations: [rec(6, 60)],
      currentReplicas: 5,
      proposal: 2,
      minReplicas: 3,
      maxReplicas: 10,
      nowMs,
      downscaleStabilizationWindowMs: 300_000,
    });
    expect(result.desiredReplicas).toBe(6);
    expect(result.conditionUpdates.map((u) => [u.type, u.status, u.reason])).toEqual([
      ['AbleToScale', 'True', 'ScaleDownStabilized'],
      ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ]);
  });
});

/** generateScalingRules: [pods, period], [percent, period] (0 = none), window; selectPolicy Max. */
function rules(
  [pods, podsPeriod]: [number, number],
  [percent, percentPeriod]: [number, number],
  window: number,
): HPAScalingRules {
  const policies = [];
  if (pods !== 0) {
    policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  }
  if (percent !== 0) {
    policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  }
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

interface RateCase {
  name: string;
  current: number;
  desired: number;
  min: number;
  max: number;
  up?: HPAScalingRules;
  down?: HPAScalingRules;
  upEvents?: ScaleEvent[];
  downEvents?: ScaleEvent[];
  want: [number, string];
}

function rateInput(c: RateCase): BehaviorInput {
  return {
    behavior: defaultedBehavior({ scaleUp: c.up, scaleDown: c.down }, 300_000),
    state: { scaleUpEvents: c.upEvents ?? [], scaleDownEvents: c.downEvents ?? [] },
    recommendations: [],
    currentReplicas: c.current,
    proposal: c.desired,
    minReplicas: c.min,
    maxReplicas: c.max,
    nowMs,
  };
}

const ev159 = (): ScaleEvent[] => uniformEvents([1, 5, 9], 120);
const ev4 = (): ScaleEvent[] => uniformEvents([8, 12, 9, 11], 120);

// prettier-ignore
const rateCases: RateCase[] = [
  { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, want: [7, 'DesiredWithinRange'] },
  { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, want: [2, 'TooFewReplicas'] },
  { name: 'within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, want: [0, 'DesiredWithinRange'] },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, want: [10, 'TooManyReplicas'] },
  { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, want: [150, 'TooManyReplicas'] },
  { name: 'scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, up: rules([0, 0], [1, 60], 0), want: [4, 'ScaleUpLimit'] },
  { name: 'scaleUp with default behavior', current: 10, desired: 50, min: 1, max: 1000, want: [20, 'ScaleUpLimit'] },
  { name: 'scaleUp with pods policy larger than percent policy', current: 10, desired: 500, min: 1, max: 1000, up: rules([100, 60], [100, 60], 0), want: [110, 'ScaleUpLimit'] },
  { name: 'scaleUp with percent policy larger than pods policy', current: 10, desired: 500, min: 1, max: 1000, up: rules([2, 60], [100, 60], 0), want: [20, 'ScaleUpLimit'] },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', current: 10, desired: 50, min: 1, max: 1000, up: rules([100, 60], [0, 0], 0), want: [50, 'DesiredWithinRange'] },
  { name: 'scaleUp with spec MaxReplicas limitation with large percent policy', current: 10, desired: 50, min: 1, max: 1000, up: rules([10000, 60], [0, 0], 0), want: [50, 'DesiredWithinRange'] },
  { name: 'scaleUp with pod policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules([30, 60], [0, 0], 0), want: [40, 'ScaleUpLimit'] },
  { name: 'scaleUp with percent policy limitation', current: 10, desired: 50, min: 1, max: 1000, up: rules([0, 0], [200, 60], 0), want: [30, 'ScaleUpLimit'] },
  { name: 'scaleDown with percent policy larger than pod policy', current: 100, desired: 2, min: 1, max: 1000, down: rules([20, 60], [1, 60], 300), want: [80, 'ScaleDownLimit'] },
  { name: 'scaleDown with pod policy larger than percent policy', current: 100, desired: 2, min: 1, max: 1000, down: rules([2, 60], [1, 60], 300), want: [98, 'ScaleDownLimit'] },
  { name: 'scaleDown with spec MinReplicas limitation with large pod policy', current: 10, desired: 0, min: 1, max: 1000, down: rules([100, 60], [0, 0], 300), want: [1, 'TooFewReplicas'] },
  { name: 'scaleDown with spec MinReplicas limitation with large percent policy', current: 10, desired: 2, min: 5, max: 1000, down: rules([0, 0], [100, 60], 300), want: [5, 'TooFewReplicas'] },
  { name: 'scaleDown with pod policy limitation', current: 10, desired: 2, min: 1, max: 1000, down: rules([5, 60], [0, 0], 300), want: [5, 'ScaleDownLimit'] },
  { name: 'scaleDown with percent policy limitation', current: 10, desired: 5, min: 1, max: 1000, down: rules([0, 0], [50, 60], 300), want: [5, 'DesiredWithinRange'] },
  { name: 'scaleUp with MaxReplicas limitation with large pod policy and events', current: 100, desired: 500, min: 1, max: 200, up: rules([300, 60], [0, 0], 0), upEvents: ev159(), want: [200, 'TooManyReplicas'] },
  { name: 'scaleUp with MaxReplicas limitation with large percent policy and events', current: 100, desired: 500, min: 1, max: 200, up: rules([0, 0], [10000, 60], 0), upEvents: ev159(), want: [200, 'TooManyReplicas'] },
  { name: 'scaleUp with currentReplicas limitation with a lot of recent scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules([5, 120], [0, 0], 0), upEvents: ev159(), want: [100, 'ScaleUpLimit'] },
  { name: 'scaleUp with pod policy and previous scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules([150, 120], [0, 0], 0), upEvents: ev159(), want: [235, 'ScaleUpLimit'] },
  { name: 'scaleUp with percent policy and previous scale up events', current: 100, desired: 500, min: 1, max: 1000, up: rules([0, 0], [200, 120], 0), upEvents: ev159(), want: [255, 'ScaleUpLimit'] },
  { name: 'scaleUp with percent policy and previous scale up and down events', current: 6, desired: 24, min: 1, max: 1000, up: rules([0, 0], [300, 300], 0), upEvents: uniformEvents([4], 120), downEvents: uniformEvents([2], 120), want: [16, 'ScaleUpLimit'] },
  { name: 'scaleDown with default policy and previous events', current: 10, desired: 5, min: 1, max: 1000, downEvents: ev159(), want: [5, 'DesiredWithinRange'] },
  { name: 'scaleDown with MinReplicas=1 limitation with large pod policy and previous events', current: 100, desired: 0, min: 1, max: 1000, down: rules([115, 120], [0, 0], 300), downEvents: ev159(), want: [1, 'TooFewReplicas'] },
  { name: 'scaleDown with MinReplicas limitation with large pod policy and previous events', current: 100, desired: 0, min: 5, max: 1000, down: rules([130, 120], [0, 0], 300), downEvents: ev159(), want: [5, 'TooFewReplicas'] },
  { name: 'scaleDown with MinReplicas limitation with large percent policy and previous events', current: 100, desired: 2, min: 5, max: 1000, down: rules([0, 0], [100, 120], 300), downEvents: ev159(), want: [5, 'TooFewReplicas'] },
  { name: 'scaleDown with pod policy limitation and previous events', current: 100, desired: 2, min: 1, max: 1000, down: rules([5, 120], [0, 0], 300), downEvents: ev159(), want: [100, 'ScaleDownLimit'] },
  { name: 'scaleDown with percent policy limitation and previous events', current: 100, desired: 0, min: 1, max: 1000, down: rules([0, 0], [50, 120], 300), downEvents: uniformEvents([2, 4, 6], 120), want: [56, 'ScaleDownLimit'] },
  { name: 'scaleDown with percent policy and previous scale up and down events', current: 10, desired: 1, min: 1, max: 1000, down: rules([0, 0], [50, 180], 0), upEvents: uniformEvents([2], 120), downEvents: uniformEvents([4], 120), want: [6, 'ScaleDownLimit'] },
  { name: 'scaleDown with previous events preventing further scale down', current: 100, desired: 0, min: 1, max: 1000, down: rules([0, 0], [10, 120], 300), downEvents: uniformEvents([10, 10, 10], 120), want: [100, 'ScaleDownLimit'] },
  { name: 'scaleDown with previous events still allowing more scale down', current: 10, desired: 5, min: 1, max: 1000, down: rules([0, 0], [1000, 120], 300), downEvents: uniformEvents([10, 10, 10], 120), want: [5, 'DesiredWithinRange'] },
  { name: "'outdated' events for one behavior for up", current: 100, desired: 200, min: 1, max: 1000, up: rules([1000, 60], [0, 0], 0), upEvents: ev4(), want: [200, 'DesiredWithinRange'] },
  { name: 'events not outdated for two policies for up', current: 100, desired: 200, min: 1, max: 1000, up: rules([1000, 120], [100, 60], 0), upEvents: ev4(), want: [200, 'DesiredWithinRange'] },
  { name: 'events outdated for two policies for up', current: 100, desired: 200, min: 1, max: 1000, up: rules([1000, 30], [100, 60], 0), upEvents: ev4(), want: [200, 'DesiredWithinRange'] },
  { name: "'outdated' events for one behavior for down", current: 100, desired: 5, min: 1, max: 1000, down: rules([1000, 60], [0, 0], 300), downEvents: ev4(), want: [5, 'DesiredWithinRange'] },
  { name: 'events not outdated for two policies for down', current: 100, desired: 5, min: 1, max: 1000, down: rules([1000, 120], [100, 60], 300), downEvents: ev4(), want: [5, 'DesiredWithinRange'] },
  { name: 'events outdated for two policies for down', current: 100, desired: 5, min: 1, max: 1000, down: rules([1000, 30], [100, 60], 300), downEvents: ev4(), want: [5, 'DesiredWithinRange'] },
  // §10.11: Disabled freezes a direction; Percent rounds up on the way up, down on the way down.
  { name: 'selectPolicy Disabled freezes scale-up', current: 4, desired: 9, min: 1, max: 10, up: { selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] }, want: [4, 'ScaleUpLimit'] },
  { name: 'selectPolicy Disabled freezes scale-down', current: 4, desired: 1, min: 1, max: 10, down: { selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] }, want: [4, 'ScaleDownLimit'] },
  { name: 'scale-up Percent rounds up', current: 3, desired: 9, min: 1, max: 10, up: rules([0, 0], [10, 60], 0), want: [4, 'ScaleUpLimit'] },
  { name: 'scale-down Percent rounds toward zero', current: 3, desired: 1, min: 1, max: 10, down: rules([0, 0], [10, 60], 0), want: [2, 'ScaleDownLimit'] },
  { name: 'an event exactly one period old no longer counts', current: 10, desired: 50, min: 1, max: 100, up: rules([5, 60], [0, 0], 0), upEvents: [{ replicaChange: 5, timestampMs: nowMs - 60_000, outdated: false }], want: [15, 'ScaleUpLimit'] },
];

describe('convertWithBehaviorRate', () => {
  it.each(rateCases)('$name', (c) => {
    const limited = convertWithBehaviorRate(rateInput(c), c.desired);
    expect([limited.replicas, limited.reason]).toEqual(c.want);
  });

  it('selectPolicy Min picks the smallest change', () => {
    const min: HPAScalingRules = {
      selectPolicy: 'Min',
      policies: [
        { type: 'Pods', value: 2, periodSeconds: 60 },
        { type: 'Percent', value: 50, periodSeconds: 60 },
      ],
    };
    expect(
      scaleUpLimit(
        rateInput({ name: '', current: 1, desired: 9, min: 1, max: 9, want: [0, ''] }),
        defaultedBehavior({ scaleUp: min }, 0).scaleUp,
      ),
    ).toBe(2);
    expect(
      scaleDownLimit(
        rateInput({ name: '', current: 5, desired: 1, min: 1, max: 9, want: [0, ''] }),
        defaultedBehavior({ scaleDown: min }, 0).scaleDown,
      ),
    ).toBe(3);
  });
});

describe('stabilizeWithBehaviors', () => {
  // prettier-ignore
  it.each([
    { name: 'empty recommendations for scaling down', recs: [], current: 100, proposal: 5, up: 0, down: 0, want: 5, stored: [5] },
    { name: 'simple scale down stabilization', recs: [rec(4, 120), rec(5, 60)], current: 100, proposal: 3, up: 0, down: 180, want: 5, stored: [4, 5, 3] },
    { name: 'simple scale up stabilization', recs: [rec(4, 120), rec(5, 60)], current: 1, proposal: 7, up: 300, down: 0, want: 4, stored: [4, 5, 7] },
    { name: 'no scale down stabilization', recs: [rec(1, 120), rec(2, 60)], current: 100, proposal: 3, up: 300, down: 0, want: 3, stored: [1, 2, 3] },
    { name: 'no scale up stabilization', recs: [rec(4, 120), rec(5, 60)], current: 1, proposal: 3, up: 0, down: 300, want: 3, stored: [4, 5, 3] },
    { name: 'no scale down stabilization, reuse recommendation element', recs: [rec(10, 600), rec(9, 540)], current: 100, proposal: 3, up: 0, down: 0, want: 3, stored: [10, 3] },
    { name: 'no scale up stabilization, reuse recommendation element', recs: [rec(10, 600), rec(9, 540)], current: 1, proposal: 100, up: 0, down: 0, want: 100, stored: [10, 100] },
    { name: 'scale down stabilization, reuse one of obsolete recommendation element', recs: [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)], current: 100, proposal: 3, up: 0, down: 180, want: 5, stored: [10, 4, 5, 3] },
    { name: 'scale up stabilization, reuse one of obsolete recommendation element', recs: [rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)], current: 1, proposal: 100, up: 300, down: 0, want: 5, stored: [100, 6, 5, 9] },
    { name: 'do not scale up when prenormalized rec goes down', recs: [rec(2, 6000), rec(3, 180)], current: 2, proposal: 1, up: 300, down: 300, want: 2, stored: [1, 3] },
    { name: 'do not scale down when prenormalized rec goes up', recs: [rec(2, 6000), rec(1, 180)], current: 2, proposal: 3, up: 300, down: 300, want: 2, stored: [3, 1] },
  ])('$name', (c) => {
    const input: BehaviorInput = {
      behavior: defaultedBehavior(
        {
          scaleUp: { stabilizationWindowSeconds: c.up },
          scaleDown: { stabilizationWindowSeconds: c.down },
        },
        0,
      ),
      state: { scaleUpEvents: [], scaleDownEvents: [] },
      recommendations: c.recs,
      currentReplicas: c.current,
      proposal: c.proposal,
      minReplicas: 1,
      maxReplicas: 1000,
      nowMs,
    };
    const result = stabilizeWithBehaviors(input);
    expect(result.stabilized.replicas).toBe(c.want);
    expect(result.recommendations.map((r) => r.recommendation)).toEqual(c.stored);
  });

  it('reports ScaleUpStabilized when holding back a scale-up', () => {
    const result = normalizeWithBehavior({
      ...rateInput({
        name: '',
        current: 1,
        desired: 7,
        min: 1,
        max: 10,
        up: { stabilizationWindowSeconds: 300 },
        want: [0, ''],
      }),
      recommendations: [rec(4, 120)],
    });
    expect(result.desiredReplicas).toBe(4);
    expect(result.conditionUpdates.map((u) => [u.type, u.status, u.reason, u.message])).toEqual([
      [
        'AbleToScale',
        'True',
        'ScaleUpStabilized',
        'recent recommendations were lower than current one, applying the lowest recent recommendation',
      ],
      [
        'ScalingLimited',
        'False',
        'DesiredWithinRange',
        'the desired count is within the acceptable range',
      ],
    ]);
  });
});
