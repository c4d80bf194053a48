// The proxy's stats as the main process reads them when ingress workers serve traffic: its own
// (the Service proxy, requests served in-process) plus each worker's reports: changes added to
// running totals, and each worker's in-flight levels, forgotten when the worker goes away.
import { addChange } from './counters.js';
import { emptyCounters } from './proxy-stats.js';
import type { ProxyStats, SeriesSnapshot, TrafficCounters, TrafficStats } from './proxy-stats.js';

interface Total {
  namespace: string;
  service: string;
  pod: string;
  counters: TrafficCounters;
  lastActivityMs: number;
}

const keyOf = (s: { namespace: string; service: string; pod: string }): string =>
  `${s.namespace}/${s.service}/${s.pod}`;

export class MergedStats implements ProxyStats {
  private readonly totals = new Map<string, Total>();
  /** worker id -> series key -> requests in flight there at its last report. */
  private readonly levels = new Map<number, Map<string, number>>();

  constructor(
    private readonly local: TrafficStats,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Adds what a worker's TrafficStats.changes() returned. */
  addReport(worker: number, changes: readonly SeriesSnapshot[]): void {
    let levels = this.levels.get(worker);
    if (!levels) {
      levels = new Map();
      this.levels.set(worker, levels);
    }
    const now = this.nowMs();
    for (const change of changes) {
      const key = keyOf(change);
      let total = this.totals.get(key);
      if (!total) {
        const { namespace, service, pod } = change;
        total = { namespace, service, pod, counters: emptyCounters(), lastActivityMs: now };
        this.totals.set(key, total);
      }
      addChange(total.counters, change.counters);
      total.lastActivityMs = now;
      if (change.counters.inFlight === 0) {
        levels.delete(key);
      } else {
        levels.set(key, change.counters.inFlight);
      }
    }
  }

  /** A worker exited: whatever it had in flight is not any more. */
  dropWorker(worker: number): void {
    this.levels.delete(worker);
  }

  service(namespace: string, name: string): TrafficCounters | undefined {
    const key = keyOf({ namespace, service: name, pod: '' });
    const own = this.local.service(namespace, name);
    const total = this.totals.get(key);
    return own || total ? this.combine(key, own, total) : undefined;
  }

  pods(namespace: string, service: string): Map<string, TrafficCounters> {
    const out = this.local.pods(namespace, service);
    for (const t of this.totals.values()) {
      if (t.namespace === namespace && t.service === service && t.pod !== '') {
        out.set(t.pod, this.combine(keyOf(t), out.get(t.pod), t));
      }
    }
    return out;
  }

  series(): SeriesSnapshot[] {
    const out = new Map<string, SeriesSnapshot>();
    for (const s of this.local.series()) {
      out.set(keyOf(s), s);
    }
    for (const [key, t] of this.totals) {
      const { namespace, service, pod } = t;
      const counters = this.combine(key, out.get(key)?.counters, t);
      out.set(key, { namespace, service, pod, counters });
    }
    return [...out.values()];
  }

  /** Drops reported pod series idle (nothing in flight, no report) for longer than idleMs. */
  prune(idleMs: number): void {
    const now = this.nowMs();
    for (const [key, t] of this.totals) {
      if (t.pod !== '' && this.inFlight(key) === 0 && now - t.lastActivityMs > idleMs) {
        this.totals.delete(key);
      }
    }
    this.local.prune(idleMs);
  }

  private inFlight(key: string): number {
    let n = 0;
    for (const levels of this.levels.values()) {
      n += levels.get(key) ?? 0;
    }
    return n;
  }

  private combine(
    key: string,
    own: TrafficCounters | undefined,
    total: Total | undefined,
  ): TrafficCounters {
    // own is a snapshot already (a copy), so adding to it in place is safe.
    const out = own ?? emptyCounters();
    if (total) {
      addChange(out, total.counters);
    }
    out.inFlight += this.inFlight(key);
    return out;
  }
}
