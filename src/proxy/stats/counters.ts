// Arithmetic on traffic counters for processes that report to one another (ingress workers to
// kubeproc): the change since a previous reading, where in-flight stays a level, and adding such
// a change to a running total.
import { CODE_CLASSES, emptyCounters } from './proxy-stats.js';
import type { TrafficCounters } from './proxy-stats.js';

/** now - before for every counter; inFlight is now's level. */
export function counterChange(now: TrafficCounters, before: TrafficCounters): TrafficCounters {
  const out = emptyCounters();
  out.requests = now.requests - before.requests;
  for (const c of CODE_CLASSES) {
    out.responses[c] = now.responses[c] - before.responses[c];
  }
  out.inFlight = now.inFlight;
  out.concurrencySeconds = now.concurrencySeconds - before.concurrencySeconds;
  out.latencyBuckets = now.latencyBuckets.map((n, i) => n - (before.latencyBuckets[i] ?? 0));
  out.latencySumSeconds = now.latencySumSeconds - before.latencySumSeconds;
  out.retries = now.retries - before.retries;
  out.failures = now.failures - before.failures;
  out.connections = now.connections - before.connections;
  return out;
}

/** Adds a change to total; inFlight is left alone (levels are kept per reporter). */
export function addChange(total: TrafficCounters, change: TrafficCounters): void {
  total.requests += change.requests;
  for (const c of CODE_CLASSES) {
    total.responses[c] += change.responses[c];
  }
  total.concurrencySeconds += change.concurrencySeconds;
  change.latencyBuckets.forEach((n, i) => {
    total.latencyBuckets[i] = (total.latencyBuckets[i] ?? 0) + n;
  });
  total.latencySumSeconds += change.latencySumSeconds;
  total.retries += change.retries;
  total.failures += change.failures;
  total.connections += change.connections;
}

/** Whether a change holds nothing but its in-flight level. */
export function isEmptyChange(change: TrafficCounters): boolean {
  return (
    change.requests === 0 &&
    change.concurrencySeconds === 0 &&
    change.retries === 0 &&
    change.failures === 0 &&
    change.connections === 0 &&
    change.latencyBuckets.every((n) => n === 0)
  );
}
