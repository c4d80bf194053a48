// Small pure helpers: milli-values and saturation, Go selector rendering, conditions, the fetch
// plan, behavior defaulting and tolerances.
import { describe, expect, it } from 'vitest';
import { defaultedBehavior } from './behavior.js';
import { setCondition } from './conditions.js';
import { effectiveMetrics, metricFetchPlan } from './fetch-plan.js';
import { goLabelSelector } from './go-format.js';
import { ceilInt32, formatMilli, milliValue } from './milli.js';
import { durationMs } from './samples.js';
import { NOW, makeHPA } from './testing/fixtures.js';
import { isWithin, tolerancesFor } from './tolerance.js';

const MAX64 = 2n ** 63n - 1n;

describe('milliValue', () => {
  it.each([
    ['1.0', 1000n],
    ['100m', 100n],
    ['20', 20000n],
    [1.5, 1500n],
    ['1.5Gi', 1610612736000n],
    ['0.5m', 1n],
    ['-0.5m', -1n],
    ['1e3', 1000000n],
    ['9223372036854775807m', MAX64],
    ['1E', MAX64],
    ['12n', 1n],
    ['0', 0n],
  ] as [string | number, bigint][])('%s → %s', (q, want) => {
    expect(milliValue(q)).toBe(want);
  });

  it('rejects what Kubernetes rejects', () => {
    expect(() => milliValue('abc')).toThrow();
  });

  it('formats status quantities as NewMilliQuantity does', () => {
    expect([
      formatMilli(2867n),
      formatMilli(20000n),
      formatMilli(500n),
      formatMilli(MAX64),
    ]).toEqual(['2867m', '20', '500m', '9223372036854775807m']);
  });

  it('saturates int32 conversions', () => {
    expect([
      ceilInt32(4.01),
      ceilInt32(1e12),
      ceilInt32(-1e12),
      ceilInt32(NaN),
      ceilInt32(Infinity),
    ]).toEqual([5, 2 ** 31 - 1, -(2 ** 31), 0, 2 ** 31 - 1]);
  });

  it('reads metav1.Duration windows', () => {
    expect([
      durationMs('1m0s'),
      durationMs('30s'),
      durationMs('1m30.5s'),
      durationMs('500ms'),
      durationMs(15),
    ]).toEqual([60_000, 30_000, 90_500, 500, 15_000]);
  });
});

describe('goLabelSelector', () => {
  it.each([
    [undefined, 'nil'],
    [
      {},
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}',
    ],
    [
      { matchLabels: { b: '2', a: '1' } },
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{},}',
    ],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}',
    ],
  ])('%j', (sel, want) => {
    expect(goLabelSelector(sel)).toBe(want);
  });
});

describe('setCondition', () => {
  const later = new Date(NOW.getTime() + 60_000);
  it('appends new types and updates existing ones in place', () => {
    let list = setCondition([], 'AbleToScale', 'True', 'A', 'a', NOW);
    list = setCondition(list, 'ScalingActive', 'True', 'B', 'b', NOW);
    list = setCondition(list, 'AbleToScale', 'True', 'C', 'c', later);
    expect(list.map((c) => [c.type, c.reason, c.lastTransitionTime])).toEqual([
      ['AbleToScale', 'C', '2024-05-01T12:00:00Z'],
      ['ScalingActive', 'B', '2024-05-01T12:00:00Z'],
    ]);
    list = setCondition(list, 'ScalingActive', 'False', 'D', 'd', later);
    expect(list[1]).toEqual({
      type: 'ScalingActive',
      status: 'False',
      lastTransitionTime: '2024-05-01T12:01:00Z',
      reason: 'D',
      message: 'd',
    });
  });
});

describe('metricFetchPlan', () => {
  it('defaults to 80% CPU when no metric is given', () => {
    expect(
      effectiveMetrics({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 }),
    ).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
  });

  it('lists one fetch per metric spec', () => {
    const sel = { matchLabels: { a: 'b' } };
    const hpa = makeHPA({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } },
        },
        {
          type: 'ContainerResource',
          containerResource: {
            name: 'cpu',
            container: 'app',
            target: { type: 'Utilization', averageUtilization: 50 },
          },
        },
        {
          type: 'Pods',
          pods: {
            metric: { name: 'qps', selector: sel },
            target: { type: 'AverageValue', averageValue: '1' },
          },
        },
        {
          type: 'Object',
          object: {
            describedObject: { kind: 'Ingress', name: 'main' },
            metric: { name: 'rps' },
            target: { type: 'Value', value: '1' },
          },
        },
        {
          type: 'External',
          external: {
            metric: { name: 'queue', selector: sel },
            target: { type: 'Value', value: '1' },
          },
        },
        { type: 'Bogus' },
      ],
    });
    expect(metricFetchPlan(hpa.spec)).toEqual([
      { kind: 'resource', resource: 'memory' },
      { kind: 'resource', resource: 'cpu', container: 'app' },
      { kind: 'pods', metricName: 'qps', metricSelector: sel },
      {
        kind: 'object',
        describedObject: { kind: 'Ingress', name: 'main' },
        metricName: 'rps',
        metricSelector: undefined,
      },
      { kind: 'external', metricName: 'queue', metricSelector: sel },
      { kind: 'none' },
    ]);
  });
});

describe('behavior and tolerance', () => {
  it('defaults both directions and takes the scale-down window from the flag', () => {
    expect(defaultedBehavior({ scaleUp: { selectPolicy: 'Min' } }, 300_000)).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Min',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  it('uses inclusive float bounds (§4)', () => {
    const t = { scaleDown: 0.1, scaleUp: 0.1 };
    expect([isWithin(t, 1.1), isWithin(t, 0.9), isWithin(t, 1.1000001), isWithin(t, NaN)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('reads behavior tolerances only when configurable', () => {
    const hpa = makeHPA({ behavior: { scaleUp: { tolerance: '0.05' } as never } });
    expect(tolerancesFor(hpa, 0.1, true)).toEqual({ scaleDown: 0.1, scaleUp: 0.05 });
    expect(tolerancesFor(hpa, 0.1, false)).toEqual({ scaleDown: 0.1, scaleUp: 0.1 });
  });
});
