// The per-HPA memory: unstabilized recommendations and past scale events (§8.4), kept by the
// controller between syncs. Every function returns a new state; inputs are never modified.
import type { HorizontalPodAutoscalerBehavior } from '../apis/autoscaling/types.js';
import { defaultedBehavior, longestPolicyPeriod } from './behavior.js';
import type { HPAState, ScaleEvent, TimestampedRecommendation } from './types.js';

/** A fresh state: no recommendation history (absent), no scale events. */
export function newHPAState(): HPAState {
  return { recommendations: null, scaleUpEvents: [], scaleDownEvents: [] };
}

/** A deep copy, so decisions never share arrays with their input. */
export function cloneState(state: HPAState): HPAState {
  return {
    recommendations: state.recommendations?.map((r) => ({ ...r })) ?? null,
    scaleUpEvents: state.scaleUpEvents.map((e) => ({ ...e })),
    scaleDownEvents: state.scaleDownEvents.map((e) => ({ ...e })),
  };
}

/** recordInitialRecommendation: an absent history is seeded with the current replica count. */
export function seedRecommendations(
  state: HPAState,
  currentReplicas: number,
  nowMs: number,
): HPAState {
  if (state.recommendations !== null) {
    return state;
  }
  return { ...state, recommendations: [{ recommendation: currentReplicas, timestampMs: nowMs }] };
}

/** Overwrites the entry at staleIndex (when there is one) or appends. */
export function storeRecommendation(
  list: readonly TimestampedRecommendation[],
  staleIndex: number,
  entry: TimestampedRecommendation,
): TimestampedRecommendation[] {
  const out = list.map((r) => ({ ...r }));
  if (staleIndex >= 0) {
    out[staleIndex] = entry;
  } else {
    out.push(entry);
  }
  return out;
}

/** getReplicasChangePerPeriod: events strictly newer than now - period. */
export function replicasChangePerPeriod(
  periodSeconds: number,
  events: readonly ScaleEvent[],
  nowMs: number,
): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.timestampMs > cutoff ? sum + e.replicaChange : sum), 0);
}

function storeEvent(
  events: readonly ScaleEvent[],
  longestPeriodSeconds: number,
  change: number,
  nowMs: number,
): ScaleEvent[] {
  const cutoff = nowMs - longestPeriodSeconds * 1000;
  const out = events.map((e) => ({ ...e, outdated: e.outdated || e.timestampMs < cutoff }));
  const reused = out.map((e) => e.outdated).lastIndexOf(true);
  const event = { replicaChange: change, timestampMs: nowMs, outdated: false };
  if (reused >= 0) {
    out[reused] = event;
  } else {
    out.push(event);
  }
  return out;
}

/** One successful rescale, as recordScaleEvent takes it. */
export interface ScaleEventInput {
  /** hpa.spec.behavior; without one no events are kept. */
  behavior: HorizontalPodAutoscalerBehavior | undefined;
  prevReplicas: number;
  newReplicas: number;
  now: Date;
}

/**
 * storeScaleEvent (§8.4): after a successful rescale, remember |new - old| in the up or down
 * list, reusing the last slot older than that direction's longest policy period. Only HPAs with
 * a behavior keep events.
 */
export function recordScaleEvent(state: HPAState, event: ScaleEventInput): HPAState {
  const { behavior, prevReplicas, newReplicas } = event;
  if (behavior == null) {
    return state;
  }
  const rules = defaultedBehavior(behavior, 0);
  const nowMs = event.now.getTime();
  if (newReplicas > prevReplicas) {
    const period = longestPolicyPeriod(rules.scaleUp);
    const scaleUpEvents = storeEvent(
      state.scaleUpEvents,
      period,
      newReplicas - prevReplicas,
      nowMs,
    );
    return { ...state, scaleUpEvents };
  }
  const period = longestPolicyPeriod(rules.scaleDown);
  const scaleDownEvents = storeEvent(
    state.scaleDownEvents,
    period,
    prevReplicas - newReplicas,
    nowMs,
  );
  return { ...state, scaleDownEvents };
}
