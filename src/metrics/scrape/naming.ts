// prometheus-adapter's default rules, applied at ingestion: `<name>_seconds_total` and
// `<name>_total` are counters served as per-second rates under `<name>`, everything else is
// served as-is under its own name. Target labels are attached the way Prometheus does.
import type { Sample } from './exposition.js';
import type { ScrapedSeries, SeriesKind } from './series-store.js';

/** The API metric name and reading of one Prometheus series name (adapter default rules). */
export function adapterMetric(name: string): { metric: string; kind: SeriesKind } | undefined {
  for (const suffix of ['_seconds_total', '_total']) {
    if (name.endsWith(suffix)) {
      const metric = name.slice(0, -suffix.length);
      return metric === '' ? undefined : { metric, kind: 'rate' };
    }
  }
  return { metric: name, kind: 'gauge' };
}

/**
 * Target labels over sample labels, as Prometheus' honor_labels: false does (a clashing scraped
 * label is kept as `exported_<name>`); with honorLabels the scraped label wins.
 */
export function withTargetLabels(
  sampleLabels: Record<string, string>,
  targetLabels: Record<string, string>,
  honorLabels: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (honorLabels) {
    Object.assign(out, targetLabels, sampleLabels);
    return out;
  }
  for (const k in sampleLabels) {
    out[k in targetLabels ? `exported_${k}` : k] = sampleLabels[k] ?? '';
  }
  return Object.assign(out, targetLabels);
}

/** The series one scrape yields, named for the API. */
export function toSeries(
  samples: readonly Sample[],
  target: { labels: Record<string, string>; honorLabels: boolean },
): ScrapedSeries[] {
  const out: ScrapedSeries[] = [];
  // A family's samples share a name: name each name once per scrape.
  const named = new Map<string, ReturnType<typeof adapterMetric>>();
  for (const s of samples) {
    let n = named.get(s.name);
    if (!named.has(s.name)) {
      n = adapterMetric(s.name);
      named.set(s.name, n);
    }
    if (n) {
      const labels = withTargetLabels(s.labels, target.labels, target.honorLabels);
      out.push({ metric: n.metric, kind: n.kind, labels, value: s.value });
    }
  }
  return out;
}
