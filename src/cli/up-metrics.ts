// `kubeproc up`'s flags for the built-in custom metrics backend: the scraper's interval, timeout,
// rate window and body limit (Prometheus' and prometheus-adapter's defaults, shortened), and
// --no-custom-metrics for a cluster without custom/external metrics APIs.
import { parseByteSize } from '../apis/monitoring/duration.js';
import type { CustomMetricsConfig } from '../main.js';
import type { ScrapeOptions } from '../metrics/scrape/index.js';
import { parseDuration } from './duration.js';
import { UsageError } from './output.js';

export const METRICS_UP_OPTIONS = {
  'scrape-interval': { type: 'string' },
  'scrape-timeout': { type: 'string' },
  'custom-metrics-rate-window': { type: 'string' },
  'scrape-body-size-limit': { type: 'string' },
  'no-custom-metrics': { type: 'boolean' },
} as const;

export const METRICS_UP_USAGE = `
Custom and external metrics, built in (pods annotated prometheus.io/scrape, ServiceMonitors, and
the proxy's requests_per_second / requests_in_flight):
  --scrape-interval D              how often targets without their own interval are scraped (15s)
  --scrape-timeout D               a scrape's deadline, at most the interval (10s)
  --custom-metrics-rate-window D   window counters (*_total) are turned into rates over (1m)
  --scrape-body-size-limit SIZE    larger /metrics answers fail the scrape (4MiB)
  --no-custom-metrics              serve no custom.metrics.k8s.io / external.metrics.k8s.io
`;

type Values = Partial<Record<keyof typeof METRICS_UP_OPTIONS, string | boolean>>;

function duration(values: Values, flag: keyof Values): number | undefined {
  const text = values[flag];
  return typeof text === 'string' ? parseDuration(flag, text) : undefined;
}

/** The custom metrics settings the flags give; unset values keep the scraper's defaults. */
export function customMetricsConfigOf(values: Values): CustomMetricsConfig {
  if (values['no-custom-metrics'] === true) {
    return { enabled: false };
  }
  const scrape: Partial<ScrapeOptions> = {};
  const interval = duration(values, 'scrape-interval');
  const timeout = duration(values, 'scrape-timeout');
  const window = duration(values, 'custom-metrics-rate-window');
  if (interval !== undefined) {
    scrape.intervalMs = interval;
  }
  if (timeout !== undefined) {
    scrape.timeoutMs = timeout;
  }
  if (window !== undefined) {
    scrape.windowMs = window;
  }
  const size = values['scrape-body-size-limit'];
  if (typeof size === 'string') {
    const bytes = parseByteSize(size) ?? (/^\d+$/.test(size) ? Number(size) : undefined);
    if (!bytes) {
      throw new UsageError(
        `invalid --scrape-body-size-limit "${size}": expected a size such as 4MiB or 512KB`,
      );
    }
    scrape.maxBodyBytes = bytes;
  }
  const effectiveInterval = scrape.intervalMs ?? 15_000;
  if (window !== undefined && window < 2 * effectiveInterval) {
    throw new UsageError(
      `invalid --custom-metrics-rate-window "${String(values['custom-metrics-rate-window'])}": must be at least twice the scrape interval (a rate needs two samples)`,
    );
  }
  return { scrape };
}
