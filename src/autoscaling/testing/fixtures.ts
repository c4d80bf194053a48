// Test scenarios shaped like upstream's replica-calculator and controller test fixtures
// (pods with two containers, PodMetrics per container, custom/external values), for our tables.
import type { HorizontalPodAutoscaler, MetricSpec } from '../../apis/autoscaling/types.js';
import type { Pod } from '../../apis/core/v1/types.js';
import type { ExternalMetricValue, MetricValue, PodMetrics, ScaleEvent } from '../types.js';

/** The fixed `now` of every table. */
export const NOW = new Date('2024-05-01T12:00:00Z');
/** Go's zero time, which upstream's fixtures leave in start times and timestamps. */
export const GO_ZERO = '0001-01-01T00:00:00Z';

/** An RFC 3339 time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString();
}

/** Pod state per index, as upstream's calcScenario / horizontalScenario give it. */
export interface PodScenario {
  count: number;
  /** Per pod: the request of each of its two containers (`1.0`, `900m`); none when absent. */
  containerRequests?: (string | undefined)[];
  readiness?: ('True' | 'False')[];
  startTimes?: string[];
  /** Ready.lastTransitionTime per pod (zero time by default). */
  transitions?: string[];
  phases?: string[];
  deleted?: boolean[];
}

function podStatus(s: PodScenario, i: number): Record<string, unknown> {
  const ready = {
    type: 'Ready',
    status: s.readiness?.[i] ?? 'True',
    lastTransitionTime: s.transitions?.[i] ?? GO_ZERO,
  };
  return {
    phase: s.phases?.[i] ?? 'Running',
    startTime: s.startTimes?.[i] ?? GO_ZERO,
    conditions: [ready],
  };
}

/** Pods `test-pod-<i>` with containers container1 and container2. */
export function makePods(s: PodScenario): Pod[] {
  return Array.from({ length: s.count }, (_, i) => {
    const request = s.containerRequests?.[i];
    const resources = request === undefined ? {} : { requests: { cpu: request } };
    const pod: Pod = {
      metadata: {
        name: `test-pod-${i}`,
        namespace: 'test-namespace',
        labels: { name: 'test-pod' },
      },
      spec: {
        containers: [
          { name: 'container1', resources },
          { name: 'container2', resources },
        ],
      },
      status: podStatus(s, i),
    };
    if (s.deleted?.[i]) {
      pod.metadata.deletionTimestamp = NOW.toISOString();
    }
    return pod;
  });
}

/** PodMetrics with per-container cpu usage in millicores; short rows leave a container empty. */
export function makePodMetrics(
  levels: number[][],
  opts: { names?: string[]; timestamp?: string } = {},
): PodMetrics[] {
  return levels.map((row, i) => ({
    metadata: { name: opts.names?.[i] ?? `test-pod-${i}`, namespace: 'test-namespace' },
    timestamp: opts.timestamp ?? GO_ZERO,
    window: '1m0s',
    containers: [0, 1].map((j): PodMetrics['containers'][number] => {
      const level = row[j];
      return level === undefined
        ? { name: '', usage: {} }
        : { name: `container${j + 1}`, usage: { cpu: `${level}m` } };
    }),
  }));
}

/** Every container of pod i uses levels[i]. */
export function sameLevels(...levels: number[]): number[][] {
  return levels.map((l) => [l, l]);
}

/** Custom metric values for pods `test-pod-<i>`, in milli-units. */
export function makePodValues(levels: (number | bigint)[], name = 'qps'): MetricValue[] {
  return levels.map((l, i) => ({
    describedObject: { kind: 'Pod', name: `test-pod-${i}`, namespace: 'test-namespace' },
    metric: { name },
    timestamp: GO_ZERO,
    value: `${l}m`,
  }));
}

/** One object metric value, in milli-units. */
export function makeObjectValue(level: number | bigint): MetricValue {
  return {
    describedObject: { kind: 'Deployment', name: 'some-deployment', apiVersion: 'apps/v1' },
    metric: { name: 'qps' },
    timestamp: GO_ZERO,
    value: `${level}m`,
  };
}

/** External metric series, in milli-units. */
export function makeExternalValues(levels: (number | bigint)[]): ExternalMetricValue[] {
  return levels.map((l) => ({
    metricName: 'qps',
    metricLabels: {},
    timestamp: GO_ZERO,
    value: `${l}m`,
  }));
}

/** A CPU utilization metric spec. */
export function cpuTarget(percent: number): MetricSpec {
  return {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
  };
}

/** An HPA test-namespace/test-hpa on ReplicationController test-rc. */
export function makeHPA(
  spec: Partial<HorizontalPodAutoscaler['spec']>,
  status?: HorizontalPodAutoscaler['status'],
): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'test-hpa', namespace: 'test-namespace' },
    spec: {
      scaleTargetRef: { kind: 'ReplicationController', name: 'test-rc', apiVersion: 'v1' },
      minReplicas: 1,
      maxReplicas: 10,
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

/**
 * generateEventsUniformDistribution: events spread over the last `periodSeconds`, each at the
 * middle of its segment (for [1, 5, 9] over 120 s: 100 s, 60 s and 20 s ago).
 */
export function uniformEvents(changes: number[], periodSeconds: number): ScaleEvent[] {
  const segment = periodSeconds / changes.length;
  return changes.map((replicaChange, i) => ({
    replicaChange,
    timestampMs: NOW.getTime() - (periodSeconds - segment * (i + 1) + segment / 2) * 1000,
    outdated: false,
  }));
}
