// Small pure pieces of the disruption controller: intstr scaling, Go's selector formatting, and
// when a DisruptionTarget condition turns stale.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import { scaledValue } from './expected-pods.js';
import { groupOf } from './finders.js';
import { goLabelSelector } from './go-format.js';
import { staleDisruptionDelayMs } from './stale-disruption.js';

describe('scaledValue (intstr.GetScaledValueFromIntOrPercent)', () => {
  it.each([
    [3, 10, true, 3],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['0%', 5, true, 0],
    ['100%', 7, true, 7],
    ['34%', 3, true, 2],
  ])('%j of %i (round up %s) is %i', (value, total, up, want) => {
    expect(scaledValue(value, total, up)).toBe(want);
  });

  it.each([
    ['5', 'invalid value for IntOrString: invalid type: string is not a percentage'],
    [
      'x%',
      'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    ],
  ])('rejects %j', (value, message) => {
    expect(() => scaledValue(value, 3, true)).toThrow(message);
  });
});

describe('goLabelSelector', () => {
  it.each([
    [null, 'nil'],
    [
      {},
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}',
    ],
    [
      {
        matchLabels: { tier: 'web', app: 'a' },
        matchExpressions: [{ key: 'env', operator: 'In', values: ['p', 'q'] }],
      },
      '&LabelSelector{MatchLabels:map[string]string{app: a,tier: web,},' +
        'MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:env,Operator:In,Values:[p q],},},}',
    ],
  ])('%j', (sel, want) => {
    expect(goLabelSelector(sel)).toBe(want);
  });
});

describe('groupOf', () => {
  it.each([
    ['apps/v1', 'apps'],
    ['v1', ''],
    ['example.com/v1beta1', 'example.com'],
  ])('%s → %j', (apiVersion, want) => {
    expect(groupOf(apiVersion)).toBe(want);
  });
});

describe('staleDisruptionDelayMs', () => {
  const NOW = new Date('2026-01-01T12:00:00Z');
  const pod = (cond: Record<string, unknown> | undefined, extra: Partial<KubeObject> = {}) =>
    ({
      metadata: { name: 'p', namespace: 'default', ...(extra.metadata ?? {}) },
      status: { phase: 'Running', conditions: cond ? [cond] : [], ...(extra.status ?? {}) },
    }) as KubeObject;
  const target = (secondsAgo: number, reason = 'EvictionByEvictionAPI') => ({
    type: 'DisruptionTarget',
    status: 'True',
    reason,
    lastTransitionTime: new Date(NOW.getTime() - secondsAgo * 1000).toISOString(),
  });

  it.each([
    ['no condition', pod(undefined), undefined],
    ['a fresh condition', pod(target(30)), 90_000],
    ['a stale condition', pod(target(300)), 0],
    ['a False condition', pod({ ...target(300), status: 'False' }), undefined],
    ['the kubelet’s own', pod(target(300, 'TerminationByKubelet')), undefined],
    ['a deleting pod', pod(target(300), { metadata: { deletionTimestamp: 'x' } }), undefined],
    ['a terminal pod', pod(target(300), { status: { phase: 'Failed' } }), undefined],
  ])('%s', (_name, p, want) => {
    expect(staleDisruptionDelayMs(p, NOW)).toBe(want);
  });
});
