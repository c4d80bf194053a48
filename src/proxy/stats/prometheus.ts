// The Prometheus text exposition (format 0.0.4) of the proxy's counters, written by hand:
// prom-client is not a dependency, and these few families need no more than this.
import type { ProxyStats, TrafficCounters } from './proxy-stats.js';
import { CODE_CLASSES, LATENCY_BOUNDS_SECONDS } from './proxy-stats.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Row {
  labels: Record<string, string>;
  counters: TrafficCounters;
}

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function family(
  out: string[],
  head: { name: string; type: 'counter' | 'gauge' | 'histogram'; help: string },
  lines: string[],
): void {
  out.push(`# HELP ${head.name} ${head.help}`, `# TYPE ${head.name} ${head.type}`, ...lines);
}

function simple(rows: Row[], name: string, pick: (c: TrafficCounters) => number): string[] {
  return rows.map((r) => `${name}${labelText(r.labels)} ${pick(r.counters)}`);
}

function histogram(rows: Row[], name: string): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    let cumulative = 0;
    LATENCY_BOUNDS_SECONDS.forEach((le, i) => {
      cumulative += r.counters.latencyBuckets[i] ?? 0;
      lines.push(`${name}_bucket${labelText({ ...r.labels, le: String(le) })} ${cumulative}`);
    });
    const count = r.counters.requests;
    lines.push(`${name}_bucket${labelText({ ...r.labels, le: '+Inf' })} ${count}`);
    lines.push(`${name}_sum${labelText(r.labels)} ${r.counters.latencySumSeconds}`);
    lines.push(`${name}_count${labelText(r.labels)} ${count}`);
  }
  return lines;
}

/** Every proxy metric family, per Service (pod="") and per pod, in the text format. */
export function renderMetrics(stats: ProxyStats): string {
  const rows: Row[] = stats
    .series()
    .sort((a, b) =>
      `${a.namespace}/${a.service}/${a.pod}`.localeCompare(`${b.namespace}/${b.service}/${b.pod}`),
    )
    .map((s) => ({
      labels: { namespace: s.namespace, service: s.service, pod: s.pod },
      counters: s.counters,
    }));
  const out: string[] = [];
  const p = 'kubeproc_proxy_';
  const requests = rows.flatMap((r) =>
    CODE_CLASSES.map(
      (code) =>
        `${p}requests_total${labelText({ ...r.labels, code })} ${r.counters.responses[code]}`,
    ),
  );
  family(
    out,
    {
      name: `${p}requests_total`,
      type: 'counter',
      help: 'HTTP requests answered, by response class; pod="" is the whole Service.',
    },
    requests,
  );
  family(
    out,
    {
      name: `${p}requests_in_flight`,
      type: 'gauge',
      help: 'HTTP requests and TCP connections open now.',
    },
    simple(rows, `${p}requests_in_flight`, (c) => c.inFlight),
  );
  family(
    out,
    {
      name: `${p}concurrency_seconds_total`,
      type: 'counter',
      help: 'In-flight requests integrated over time; its rate is the mean concurrency.',
    },
    simple(rows, `${p}concurrency_seconds_total`, (c) => c.concurrencySeconds),
  );
  family(
    out,
    {
      name: `${p}request_duration_seconds`,
      type: 'histogram',
      help: 'Time from receiving a request until its response was sent or it failed.',
    },
    histogram(rows, `${p}request_duration_seconds`),
  );
  family(
    out,
    {
      name: `${p}retries_total`,
      type: 'counter',
      help: 'Attempts retried on another backend after a connection failure.',
    },
    simple(
      rows.filter((r) => r.labels.pod === ''),
      `${p}retries_total`,
      (c) => c.retries,
    ),
  );
  family(
    out,
    {
      name: `${p}backend_failures_total`,
      type: 'counter',
      help: 'Attempts on a backend that failed before a response (refused, reset, timed out).',
    },
    simple(
      rows.filter((r) => r.labels.pod !== ''),
      `${p}backend_failures_total`,
      (c) => c.failures,
    ),
  );
  family(
    out,
    { name: `${p}tcp_connections_total`, type: 'counter', help: 'TCP connections proxied.' },
    simple(rows, `${p}tcp_connections_total`, (c) => c.connections),
  );
  return `${out.join('\n')}\n`;
}
