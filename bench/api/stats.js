// Small statistics helpers for the API benchmark: percentiles, medians, rounding.

/** The p-th percentile (0..100) of values, nearest-rank method; NaN when empty. */
export function percentile(values, p) {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median (mean of the two middle values for even counts). */
export function median(values) {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to `digits` decimals so the JSON stays readable. */
export function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** p50/p90/p99/max/mean of latencies in ms, rounded. */
export function summarize(latenciesMs) {
  const n = latenciesMs.length;
  const mean = n ? latenciesMs.reduce((a, b) => a + b, 0) / n : Number.NaN;
  return {
    n,
    p50Ms: round(percentile(latenciesMs, 50), 3),
    p90Ms: round(percentile(latenciesMs, 90), 3),
    p99Ms: round(percentile(latenciesMs, 99), 3),
    maxMs: round(percentile(latenciesMs, 100), 3),
    meanMs: round(mean, 3),
  };
}

/** Milliseconds since an arbitrary origin, comparable across worker threads. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}
