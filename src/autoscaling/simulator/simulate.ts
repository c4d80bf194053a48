// Replays a load trace through decideScale every sync period: pods start on scale-up and turn
// Ready after a delay, scale-down removes unready then newest pods. Pure: time is simulated.
import type { HorizontalPodAutoscaler, MetricStatus } from '../../apis/autoscaling/types.js';
import { decideScale } from '../decide.js';
import { effectiveMetrics } from '../fetch-plan.js';
import { newHPAState } from '../history.js';
import { buildStatus, recordRescaleSuccess } from '../rescale.js';
import type { DecideOptions, HPAState, ScaleDecision } from '../types.js';
import type { Trace } from './trace.js';
import { pointAt } from './trace.js';
import type { Load, SimPod, WorldConfig } from './world.js';
import { metricDataFor, podObjects, readyPods } from './world.js';

/** Everything a simulation needs. */
export interface SimulationConfig extends WorldConfig {
  trace: Trace;
  initialReplicas: number;
  syncPeriodMs: number;
  /** How long to run (default: until the trace's last row). */
  durationMs?: number;
  options: DecideOptions;
  /** The simulated wall clock at time 0. */
  epochMs?: number;
}

/** One sync of the simulation. */
export interface SimulationRow {
  timeSeconds: number;
  load: string;
  /** Pods (and Ready pods) when the sync ran. */
  pods: number;
  ready: number;
  /** The metrics as status.currentMetrics reports them (`62%`, `1500m`). */
  metrics: string;
  /** Replicas after this sync. */
  replicas: number;
  /** The rescale event, the limit that applied, or the metric error. */
  note: string;
  explanation: string;
}

interface World {
  pods: SimPod[];
  nextIndex: number;
  state: HPAState;
  hpa: HorizontalPodAutoscaler;
}

const DEFAULT_EPOCH_MS = Date.UTC(2024, 0, 1);

function metricText(status: MetricStatus): string {
  const current = (
    status.resource ??
    status.containerResource ??
    status.pods ??
    status.object ??
    status.external
  )?.current;
  if (current?.averageUtilization != null) {
    return `${current.averageUtilization}%`;
  }
  return String(current?.averageValue ?? current?.value ?? '<unknown>');
}

function note(decision: ScaleDecision): string {
  if (decision.rescale) {
    return `New size: ${decision.desiredReplicas}; reason: ${decision.reason}`;
  }
  if (decision.metricsFailed) {
    return decision.error ?? 'metrics failed';
  }
  const limited = decision.conditions.find(
    (c) => c.type === 'ScalingLimited' && c.status === 'True',
  );
  const stabilized = decision.conditions.find(
    (c) => c.type === 'AbleToScale' && c.reason?.endsWith('Stabilized'),
  );
  return limited?.reason ?? stabilized?.reason ?? '';
}

function resize(world: World, replicas: number, nowMs: number, ready: ReadonlySet<string>): void {
  while (world.pods.length < replicas) {
    world.pods.push({ name: `pod-${world.nextIndex++}`, startMs: nowMs });
  }
  if (world.pods.length > replicas) {
    // Like a ReplicaSet: unready pods go first, then the newest.
    const ranked = [...world.pods].sort(
      (a, b) => Number(ready.has(a.name)) - Number(ready.has(b.name)) || b.startMs - a.startMs,
    );
    const doomed = new Set(ranked.slice(0, world.pods.length - replicas).map((p) => p.name));
    world.pods = world.pods.filter((p) => !doomed.has(p.name));
  }
}

function loadAt(cfg: SimulationConfig, timeSeconds: number, readyCount: number): Load {
  const point = pointAt(cfg.trace, timeSeconds);
  if (cfg.trace.kind === 'per_pod') {
    return { perPodMilli: point.loadMilli, totalMilli: point.loadMilli * BigInt(readyCount) };
  }
  return {
    perPodMilli: readyCount > 0 ? point.loadMilli / BigInt(readyCount) : 0n,
    totalMilli: point.loadMilli,
  };
}

function step(cfg: SimulationConfig, world: World, tMs: number): SimulationRow {
  const nowMs = (cfg.epochMs ?? DEFAULT_EPOCH_MS) + tMs;
  const point = pointAt(cfg.trace, tMs / 1000);
  const ready = readyPods(world.pods, nowMs, cfg.podReadyDelayMs, point.ready);
  const load = loadAt(cfg, tMs / 1000, ready.size);
  const snapshot = { pods: world.pods, ready, load, nowMs };
  const decision = decideScale({
    hpa: world.hpa,
    scale: {
      specReplicas: world.pods.length,
      statusReplicas: world.pods.length,
      selector: 'app=simulated',
    },
    pods: podObjects(world.pods, ready, cfg),
    metricData: effectiveMetrics(world.hpa.spec).map((spec) => metricDataFor(spec, snapshot, cfg)),
    state: world.state,
    now: new Date(nowMs),
    options: cfg.options,
  });
  const row = {
    timeSeconds: tMs / 1000,
    load: point.load,
    pods: world.pods.length,
    ready: ready.size,
  };
  const result = decision.rescale
    ? recordRescaleSuccess({ hpa: world.hpa, decision, now: new Date(nowMs) })
    : undefined;
  if (decision.rescale) {
    resize(world, decision.desiredReplicas, nowMs, ready);
  }
  world.state = result?.state ?? decision.state;
  world.hpa = { ...world.hpa, status: buildStatus(world.hpa, decision, result) };
  return {
    ...row,
    metrics: decision.currentMetrics.map(metricText).join(' '),
    replicas: world.pods.length,
    note: note(decision),
    explanation: decision.explanation,
  };
}

/** Runs the simulation; one row per sync period, from time 0 to the duration inclusive. */
export function simulate(cfg: SimulationConfig): SimulationRow[] {
  const epochMs = cfg.epochMs ?? DEFAULT_EPOCH_MS;
  const world: World = {
    // The initial pods have been running (and Ready) for an hour.
    pods: Array.from({ length: cfg.initialReplicas }, (_, i) => ({
      name: `pod-${i + 1}`,
      startMs: epochMs - 3_600_000,
    })),
    nextIndex: cfg.initialReplicas + 1,
    state: newHPAState(),
    hpa: { ...cfg.hpa, status: {} },
  };
  const last = cfg.trace.points[cfg.trace.points.length - 1]?.timeSeconds ?? 0;
  const durationMs = cfg.durationMs ?? last * 1000;
  const rows: SimulationRow[] = [];
  for (let t = 0; t <= durationMs; t += cfg.syncPeriodMs) {
    rows.push(step(cfg, world, t));
  }
  return rows;
}
