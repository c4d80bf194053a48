// Scale-event history (§8.4), from upstream's TestStoreScaleEvents, and the recommendation seed.
import { describe, expect, it } from 'vitest';
import type { HPAScalingRules } from '../apis/autoscaling/types.js';
import {
  cloneState,
  newHPAState,
  recordScaleEvent,
  replicasChangePerPeriod,
  seedRecommendations,
} from './history.js';
import { NOW } from './testing/fixtures.js';
import type { ScaleEvent } from './types.js';

const nowMs = NOW.getTime();
const ev = (replicaChange: number, secondsAgo: number): ScaleEvent => ({
  replicaChange,
  timestampMs: nowMs - secondsAgo * 1000,
  outdated: false,
});
const rules = (
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
): HPAScalingRules => ({
  selectPolicy: 'Max',
  policies: [
    ...(pods ? [{ type: 'Pods', value: pods, periodSeconds: podsPeriod }] : []),
    ...(percent ? [{ type: 'Percent', value: percent, periodSeconds: percentPeriod }] : []),
  ],
});

describe('recordScaleEvent', () => {
  // prettier-ignore
  it.each([
    { name: 'empty entries with default behavior', prev: [], rules: undefined, stored: [], change: 0 },
    { name: 'empty entries with two-policy-behavior', prev: [], rules: rules(10, 60, 100, 60), stored: [[5, false]], change: 0 },
    { name: 'one outdated entry to be kept untouched without behavior', prev: [ev(7, 61)], rules: undefined, stored: [[7, false]], change: 0 },
    { name: 'one outdated entry to be replaced with behavior', prev: [ev(7, 61)], rules: rules(10, 60, 100, 60), stored: [[5, false]], change: 0 },
    { name: 'one actual entry to be not touched with behavior', prev: [ev(7, 58)], rules: rules(10, 60, 100, 60), stored: [[7, false], [5, false]], change: 7 },
    { name: 'two entries, one of them to be replaced', prev: [ev(7, 61), ev(6, 59)], rules: rules(10, 60, 0, 0), stored: [[5, false], [6, false]], change: 6 },
    { name: 'replace one entry, use policies with different periods', prev: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)], rules: rules(10, 60, 100, 30), stored: [[8, false], [6, false], [7, true], [5, false]], change: 14 },
    { name: 'two entries, both actual', prev: [ev(7, 58), ev(6, 59)], rules: rules(10, 120, 100, 30), stored: [[7, false], [6, false], [5, false]], change: 13 },
  ] as {
    name: string;
    prev: ScaleEvent[];
    rules?: HPAScalingRules;
    stored: [number, boolean][];
    change: number;
  }[])('$name', (c) => {
    expect(replicasChangePerPeriod(60, c.prev, nowMs)).toBe(c.change);
    const base = { ...newHPAState(), scaleUpEvents: c.prev, scaleDownEvents: c.prev };
    const up = recordScaleEvent(base, {
      behavior: c.rules && { scaleUp: c.rules },
      prevReplicas: 10,
      newReplicas: 15,
      now: NOW,
    });
    expect(up.scaleUpEvents.map((e) => [e.replicaChange, e.outdated])).toEqual(c.stored);
    const down = recordScaleEvent(base, {
      behavior: c.rules && { scaleDown: c.rules },
      prevReplicas: 10,
      newReplicas: 5,
      now: NOW,
    });
    expect(down.scaleDownEvents.map((e) => [e.replicaChange, e.outdated])).toEqual(c.stored);
    expect(c.prev.every((e) => !e.outdated)).toBe(true);
  });
});

describe('recommendation history', () => {
  it('seeds an absent history with the current count, but not an empty one (§10.10)', () => {
    expect(seedRecommendations(newHPAState(), 4, nowMs).recommendations).toEqual([
      { recommendation: 4, timestampMs: nowMs },
    ]);
    const empty = { ...newHPAState(), recommendations: [] };
    expect(seedRecommendations(empty, 4, nowMs).recommendations).toEqual([]);
  });

  it('clones deeply', () => {
    const state = {
      recommendations: [{ recommendation: 1, timestampMs: 0 }],
      scaleUpEvents: [ev(1, 1)],
      scaleDownEvents: [],
    };
    const copy = cloneState(state);
    copy.recommendations![0]!.recommendation = 9;
    copy.scaleUpEvents[0]!.replicaChange = 9;
    expect(state.recommendations[0]!.recommendation).toBe(1);
    expect(state.scaleUpEvents[0]!.replicaChange).toBe(1);
  });
});
