// CPU usage rates from cumulative readings, the way metrics-server computes them: the counter's
// increase between two readings of the same run divided by the time between them (the window).

/** Memory gauges read together with the CPU counter. */
export interface MemoryReading {
  usageBytes: number;
  /** Usage minus inactive file pages (what the kubelet evicts on and metrics-server reports). */
  workingSetBytes: number;
  rssBytes: number;
  pageFaults?: number;
  majorPageFaults?: number;
  /** The memory limit (a container) or capacity (the node); undefined when unlimited. */
  limitBytes?: number;
}

/** One reading of a node, container or process tree. */
export interface Reading {
  timestamp: Date;
  /** When the CPU counter started; a different startTime means a new run (a restart). */
  startTime: Date;
  usageCoreNanoSeconds: number;
  memory: MemoryReading;
}

/** A CPU rate and the window it was measured over. */
export interface UsageRate {
  usageNanoCores: number;
  windowMs: number;
}

/** True when `next` continues `prev`'s counter: same run, later, and not counting down. */
export function continues(prev: Reading, next: Reading): boolean {
  return (
    prev.startTime.getTime() === next.startTime.getTime() &&
    next.timestamp.getTime() > prev.timestamp.getTime() &&
    next.usageCoreNanoSeconds >= prev.usageCoreNanoSeconds
  );
}

/**
 * The rate between two readings, truncated to whole nanocores as metrics-server does; undefined
 * across a restart, a counter that went down (metrics-server drops such points too) or no time.
 */
export function usageRate(prev: Reading, last: Reading): UsageRate | undefined {
  if (!continues(prev, last)) {
    return undefined;
  }
  const windowMs = last.timestamp.getTime() - prev.timestamp.getTime();
  const deltaNs = last.usageCoreNanoSeconds - prev.usageCoreNanoSeconds;
  return { usageNanoCores: Math.floor((deltaNs * 1000) / windowMs), windowMs };
}

/**
 * Adds a reading to a history of at most `max` readings (oldest first). A reading that does not
 * continue the newest one starts a new history, so rates never span a restart.
 */
export function appendReading(history: readonly Reading[], next: Reading, max: number): Reading[] {
  const last = history.at(-1);
  if (last !== undefined && next.timestamp.getTime() <= last.timestamp.getTime()) {
    return [...history]; // Not newer: keep what we have, as metrics-server's storage does.
  }
  if (last === undefined || !continues(last, next)) {
    return [next];
  }
  return [...history, next].slice(-Math.max(2, max));
}

/** The rate between the newest two readings (metrics-server's usage). */
export function latestRate(history: readonly Reading[]): UsageRate | undefined {
  const [prev, last] = history.slice(-2);
  return prev && last ? usageRate(prev, last) : undefined;
}

/** The rate over the whole history, oldest to newest: a longer, steadier window. */
export function historyRate(history: readonly Reading[]): UsageRate | undefined {
  const first = history[0];
  const last = history.at(-1);
  return first && last && first !== last ? usageRate(first, last) : undefined;
}
