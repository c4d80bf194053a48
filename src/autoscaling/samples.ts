// Turns fetched metrics API objects into per-pod samples and values the way upstream's REST
// metrics client does (metrics/client.go), with its error texts.
import type { ExternalMetricValue, MetricData, MetricValue, PodMetrics } from './types.js';
import { milliValue } from './milli.js';

/** One pod's sample (upstream's PodMetric): an int64 milli-value plus its timestamp and window. */
export interface PodSample {
  value: bigint;
  timestampMs: number;
  windowMs: number;
}

/** Samples by pod name (upstream's PodMetricsInfo). */
export type PodSamples = Map<string, PodSample>;

/** An error from a replica calculation; `message` is the exact upstream error text. */
export class MetricError extends Error {
  readonly code = 'HPA_METRIC';
}

const DEFAULT_WINDOW_MS = 60_000;
const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A metav1.Duration (`1m0s`, `30s`, `500ms`) or a number of seconds, in milliseconds. */
export function durationMs(window: string | number | undefined): number {
  if (typeof window === 'number') {
    return window * 1000;
  }
  let total = 0;
  for (const [, num, unit] of (window ?? '').matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(num) * (GO_UNITS[unit ?? ''] ?? 0);
  }
  return total;
}

/** The milliseconds of an RFC 3339 time; absent or unparsable times are Go's zero time. */
export function timeMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? GO_ZERO_TIME_MS : ms;
}

/** time.Time{} (0001-01-01T00:00:00Z). */
export const GO_ZERO_TIME_MS = -62135596800000;

/** Whether a fetch failed. */
export function isFetchError(data: MetricData | undefined): data is { error: string } {
  return (
    data != null && !Array.isArray(data) && typeof (data as { error?: unknown }).error === 'string'
  );
}

function asList<T>(data: MetricData | undefined): T[] {
  if (data == null) {
    return [];
  }
  return (Array.isArray(data) ? data : [data]) as T[];
}

function podValue(m: PodMetrics, resource: string, container: string): bigint | undefined {
  if (container !== '') {
    const usage = m.containers.find((c) => c.name === container)?.usage[resource];
    return usage == null ? undefined : milliValue(usage);
  }
  if (m.containers.length === 0) {
    return undefined;
  }
  let sum = 0n;
  for (const c of m.containers) {
    const usage = c.usage[resource];
    if (usage == null) {
      return undefined;
    }
    sum += milliValue(usage);
  }
  return sum;
}

/** GetResourceMetric: per-pod usage of `resource` (one container's, or the pod's sum). */
export function resourceSamples(
  data: MetricData | undefined,
  resource: string,
  container: string,
): PodSamples {
  if (isFetchError(data)) {
    throw new MetricError(`unable to fetch metrics from resource metrics API: ${data.error}`);
  }
  const items = asList<PodMetrics>(data);
  if (items.length === 0) {
    throw new MetricError('no metrics returned from resource metrics API');
  }
  const samples: PodSamples = new Map();
  for (const m of items) {
    const value = podValue(m, resource, container);
    if (value !== undefined) {
      const sample = { value, timestampMs: timeMs(m.timestamp), windowMs: durationMs(m.window) };
      samples.set(m.metadata.name, sample);
    }
  }
  return samples;
}

/** GetRawMetric: a custom metric per pod, keyed by describedObject.name. */
export function podsSamples(data: MetricData | undefined): PodSamples {
  if (isFetchError(data)) {
    throw new MetricError(`unable to fetch metrics from custom metrics API: ${data.error}`);
  }
  const items = asList<MetricValue>(data);
  if (items.length === 0) {
    throw new MetricError('no metrics returned from custom metrics API');
  }
  const samples: PodSamples = new Map();
  for (const m of items) {
    const windowMs = m.windowSeconds != null ? m.windowSeconds * 1000 : DEFAULT_WINDOW_MS;
    samples.set(m.describedObject.name, {
      value: milliValue(m.value),
      timestampMs: timeMs(m.timestamp),
      windowMs,
    });
  }
  return samples;
}

/** GetObjectMetric: the single value of an object metric. */
export function objectValue(data: MetricData | undefined): { value: bigint; timestampMs: number } {
  if (isFetchError(data)) {
    throw new MetricError(`unable to fetch metrics from custom metrics API: ${data.error}`);
  }
  const first = asList<MetricValue>(data)[0];
  if (first === undefined) {
    throw new MetricError(
      'unable to fetch metrics from custom metrics API: no metric value returned',
    );
  }
  return { value: milliValue(first.value), timestampMs: timeMs(first.timestamp) };
}

/** GetExternalMetric: every series value. */
export function externalValues(data: MetricData | undefined): {
  values: bigint[];
  timestampMs: number;
} {
  if (isFetchError(data)) {
    throw new MetricError(`unable to fetch metrics from external metrics API: ${data.error}`);
  }
  const items = asList<ExternalMetricValue>(data);
  const first = items[0];
  if (first === undefined) {
    throw new MetricError('no metrics returned from external metrics API');
  }
  return { values: items.map((m) => milliValue(m.value)), timestampMs: timeMs(first.timestamp) };
}
