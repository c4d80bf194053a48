// PodScheduled condition updates: written only on change, transition time kept until it flips.
import { describe, expect, it } from 'vitest';
import { withPodCondition } from './pod-condition.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z');
const unschedulable = {
  type: 'PodScheduled',
  status: 'False' as const,
  reason: 'Unschedulable',
  message: 'm1',
};

describe('withPodCondition', () => {
  it('adds a missing condition', () => {
    expect(withPodCondition([{ type: 'Ready', status: 'False' }], unschedulable, T0)).toEqual([
      { type: 'Ready', status: 'False' },
      { ...unschedulable, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it.each([
    ['same status, reason and message', unschedulable, undefined],
    [
      'new message keeps the transition time',
      { ...unschedulable, message: 'm2' },
      '2026-01-01T00:00:00Z',
    ],
    [
      'a flip moves the transition time',
      { type: 'PodScheduled', status: 'True' as const },
      '2026-01-01T00:01:00Z',
    ],
  ])('%s', (_name, cond, transition) => {
    const first = withPodCondition(undefined, unschedulable, T0);
    const next = withPodCondition(first, cond, T1);
    expect(next?.[0]?.lastTransitionTime).toBe(transition);
  });
});
