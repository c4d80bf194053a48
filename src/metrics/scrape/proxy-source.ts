// kubeproc's own request metrics as series, with no change to the apps: the ingress counts HTTP
// requests and the Service proxy (L4) TCP connections, per Service and per backend pod; each
// sample becomes `requests_per_second` (the rate of requests plus connections: through a
// ClusterIP one connection is one request) and `requests_in_flight` (the mean number in flight
// over the window: the rate of their time integral).
import type { KubeObject } from '../../apis/meta.js';
import type { ScrapedSeries } from './series-store.js';

/** The target key the proxy's series are stored under. */
export const PROXY_TARGET = 'kubeproc-proxy';

/** One row of the proxy's counters (src/proxy/stats ProxyStats.series(), structurally). */
export interface TrafficRow {
  namespace: string;
  service: string;
  /** '' for the Service as a whole; '-' when the endpoint named no pod. */
  pod: string;
  counters: { requests: number; connections: number; concurrencySeconds: number };
}

/** What the proxy offers (ProxyStats); main.ts passes it in, metrics/ never imports proxy/. */
export interface TrafficSource {
  series(): TrafficRow[];
}

/**
 * The series of one sample. Service rows are labelled {namespace, service}; pod rows
 * {namespace, pod, kubeproc_service}, so a pod's value sums its Services and a Service's value is
 * its own row, never its pods' twice.
 */
export function proxySeries(rows: readonly TrafficRow[]): ScrapedSeries[] {
  const out: ScrapedSeries[] = [];
  for (const r of rows) {
    if (r.pod === '-') {
      continue;
    }
    const labels: Record<string, string> =
      r.pod === ''
        ? { namespace: r.namespace, service: r.service }
        : { namespace: r.namespace, pod: r.pod, kubeproc_service: r.service };
    out.push(
      {
        metric: 'requests_per_second',
        kind: 'rate',
        labels,
        value: r.counters.requests + r.counters.connections,
      },
      { metric: 'requests_in_flight', kind: 'rate', labels, value: r.counters.concurrencySeconds },
    );
  }
  return out;
}

interface Subset {
  addresses?: { targetRef?: { kind?: string; name?: string } }[];
}

const ZERO = { requests: 0, connections: 0, concurrencySeconds: 0 };

/**
 * `rows` plus zero rows for every Service with endpoints and every ready backend pod the proxy
 * has not seen traffic for yet: such a pod served 0 requests per second, and reporting 0 (not
 * nothing) lets an HPA on these metrics scale down once new pods idle.
 */
export function withIdleBackends(
  rows: readonly TrafficRow[],
  endpoints: readonly KubeObject[],
): TrafficRow[] {
  const out = [...rows];
  const seen = new Set(rows.map((r) => `${r.namespace}/${r.service}/${r.pod}`));
  const add = (namespace: string, service: string, pod: string): void => {
    const key = `${namespace}/${service}/${pod}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ namespace, service, pod, counters: { ...ZERO } });
    }
  };
  for (const ep of endpoints) {
    const namespace = ep.metadata.namespace ?? '';
    const service = ep.metadata.name ?? '';
    const pods = ((ep as { subsets?: Subset[] }).subsets ?? []).flatMap((s) =>
      (s.addresses ?? []).flatMap((a) =>
        a.targetRef?.kind === 'Pod' && a.targetRef.name ? [a.targetRef.name] : [],
      ),
    );
    if (pods.length > 0) {
      add(namespace, service, '');
    }
    for (const pod of pods) {
      add(namespace, service, pod);
    }
  }
  return out;
}
