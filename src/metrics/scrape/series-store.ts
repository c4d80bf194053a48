// The built-in scraper's in-memory time series: the samples of each target over the rate window,
// indexed by API metric name. Counters read as per-second rates over the window, gauges as their
// latest value, as prometheus-adapter's default rules make of them.

/** How a series reads: a rate of a cumulative counter, or a gauge's latest value. */
export type SeriesKind = 'rate' | 'gauge';

/** One series of one scrape, already named for the API (`http_requests`, `total_hit_count`). */
export interface ScrapedSeries {
  metric: string;
  kind: SeriesKind;
  labels: Record<string, string>;
  value: number;
}

/** A series' current value with its labels; `atMs` is when its newest sample was taken. */
export interface SeriesValue {
  labels: Record<string, string>;
  value: number;
  atMs: number;
}

interface Point {
  tMs: number;
  v: number;
}

interface Stored {
  metric: string;
  kind: SeriesKind;
  labels: Record<string, string>;
  points: Point[];
}

/** Canonical text of a label set (sorted), for series identity. */
export function labelsKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let out = '';
  for (const k of keys) {
    // U+FFFF is a noncharacter: it does not occur in label names or (real) values.
    out += `${k}\uffff${labels[k] ?? ''}\uffff`;
  }
  return out;
}

/** Per-second increase over the points, counting a drop as a counter reset (Prometheus' rate). */
export function counterRate(points: readonly Point[]): number | undefined {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || last.tMs <= first.tMs) {
    return undefined;
  }
  let increase = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]?.v ?? 0;
    const cur = points[i]?.v ?? 0;
    increase += cur >= prev ? cur - prev : cur;
  }
  return increase / ((last.tMs - first.tMs) / 1000);
}

export class SeriesStore {
  /** target key -> series id -> series */
  private readonly targets = new Map<string, Map<string, Stored>>();
  /** metric -> series id (target + labels) -> series */
  private readonly byMetric = new Map<string, Map<string, Stored>>();

  constructor(private readonly windowMs: number) {}

  /** Records one successful scrape of a target: series it no longer exposes go stale at once. */
  ingest(target: string, tMs: number, series: readonly ScrapedSeries[]): void {
    const old = this.targets.get(target) ?? new Map<string, Stored>();
    const next = new Map<string, Stored>();
    for (const s of series) {
      const id = `${target}\u0000${s.metric}\u0000${labelsKey(s.labels)}`;
      const stored = old.get(id) ?? {
        metric: s.metric,
        kind: s.kind,
        labels: s.labels,
        points: [],
      };
      stored.points = this.kept(stored, { tMs, v: s.value });
      next.set(id, stored);
    }
    for (const [id, stored] of old) {
      if (!next.has(id)) {
        this.byMetric.get(stored.metric)?.delete(id);
      }
    }
    for (const [id, stored] of next) {
      if (old.has(id)) {
        continue;
      }
      let index = this.byMetric.get(stored.metric);
      if (!index) {
        index = new Map();
        this.byMetric.set(stored.metric, index);
      }
      index.set(id, stored);
    }
    this.targets.set(target, next);
  }

  private kept(stored: Stored, point: Point): Point[] {
    if (stored.kind === 'gauge') {
      return [point];
    }
    // Points arrive in time order: the old ones are at the front.
    const points = stored.points;
    const since = point.tMs - this.windowMs;
    let drop = 0;
    while (drop < points.length && (points[drop]?.tMs ?? 0) < since) {
      drop++;
    }
    if (drop > 0) {
      points.splice(0, drop);
    }
    if (points.length > 0 && (points[points.length - 1]?.tMs ?? 0) >= point.tMs) {
      points.pop();
    }
    points.push(point);
    return points;
  }

  /** Forgets a target and its series (it disappeared, as Prometheus marks them stale). */
  dropTarget(target: string): void {
    for (const [id, stored] of this.targets.get(target) ?? []) {
      this.byMetric.get(stored.metric)?.delete(id);
    }
    this.targets.delete(target);
  }

  /** The targets holding series now. */
  targetKeys(): string[] {
    return [...this.targets.keys()];
  }

  /** Every series of `metric` that has a value: gauges' latest, counters' rate over the window. */
  values(metric: string): SeriesValue[] {
    const out: SeriesValue[] = [];
    for (const s of this.byMetric.get(metric)?.values() ?? []) {
      const last = s.points[s.points.length - 1];
      const value = s.kind === 'gauge' ? last?.v : counterRate(s.points);
      if (last && value !== undefined) {
        out.push({ labels: s.labels, value, atMs: last.tMs });
      }
    }
    return out;
  }

  /** Each metric name with the label names its series carry (for discovery). */
  metricLabels(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const [metric, series] of this.byMetric) {
      if (series.size === 0) {
        continue;
      }
      const names = new Set<string>();
      for (const s of series.values()) {
        for (const k of Object.keys(s.labels)) {
          names.add(k);
        }
      }
      out.set(metric, names);
    }
    return out;
  }

  /** Number of series held, for logs and tests. */
  get size(): number {
    let n = 0;
    for (const t of this.targets.values()) {
      n += t.size;
    }
    return n;
  }
}
