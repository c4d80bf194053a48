import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { hpaOptionsOf } from './up-hpa.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration('x', text)).toBe(ms);
  });

  it.each(['', '10', 'abc', '5x', '0s', '-1s'])('refuses %j', (text) => {
    expect(() => parseDuration('x', text)).toThrow(/invalid --x/);
  });

  it('allows zero only where asked', () => {
    expect(parseDuration('x', '0s', true)).toBe(0);
    expect(parseDuration('x', '0', true)).toBe(0);
  });
});

describe('hpaOptionsOf', () => {
  it('maps the kube-controller-manager flags to controller settings', () => {
    expect(
      hpaOptionsOf({
        'horizontal-pod-autoscaler-sync-period': '1s',
        'horizontal-pod-autoscaler-tolerance': '0.05',
        'horizontal-pod-autoscaler-downscale-stabilization': '0s',
        'horizontal-pod-autoscaler-cpu-initialization-period': '10s',
        'horizontal-pod-autoscaler-initial-readiness-delay': '2s',
      }),
    ).toEqual({
      syncPeriodMs: 1000,
      tolerance: 0.05,
      downscaleStabilizationWindowMs: 0,
      cpuInitializationPeriodMs: 10_000,
      initialReadinessDelayMs: 2000,
    });
    expect(hpaOptionsOf({})).toEqual({});
  });

  it.each([
    [{ 'horizontal-pod-autoscaler-tolerance': 'x' }, /tolerance "x"/],
    [{ 'horizontal-pod-autoscaler-tolerance': '-0.1' }, /tolerance "-0.1"/],
    [{ 'horizontal-pod-autoscaler-sync-period': '0s' }, /must be positive/],
    [{ 'horizontal-pod-autoscaler-sync-period': 'soon' }, /sync-period "soon"/],
  ])('refuses %j', (values, message) => {
    expect(() => hpaOptionsOf(values)).toThrow(message);
  });
});
