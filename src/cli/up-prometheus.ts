// `kubeproc up`'s Prometheus flags: custom and external metrics from a real Prometheus through
// prometheus-adapter's rules (flags named after the adapter's), and the line `up` prints about it.
import { AdapterConfigError, configFromFile } from '../metrics/prometheus/config.js';
import { DEFAULT_RELIST_INTERVAL_MS } from '../metrics/prometheus/index.js';
import type { PrometheusAdapterConfig } from '../metrics/prometheus/index.js';
import { TARGETS_PATH } from '../metrics/prometheus/targets-endpoint.js';
import { parseDuration } from './duration.js';
import { UsageError } from './output.js';

export const PROMETHEUS_UP_OPTIONS = {
  'prometheus-url': { type: 'string' },
  'prometheus-adapter-config': { type: 'string' },
  'prometheus-metrics-relist-interval': { type: 'string' },
  'prometheus-metrics-max-age': { type: 'string' },
} as const;

export const PROMETHEUS_UP_USAGE = `
Custom and external metrics from Prometheus (prometheus-adapter's rules):
  --prometheus-url URL                     answer custom.metrics.k8s.io and external.metrics.k8s.io with
                                           PromQL against this Prometheus; its scrape targets are served
                                           at <api-url>${TARGETS_PATH} (http_sd_configs)
  --prometheus-adapter-config FILE         prometheus-adapter rule file (rules, externalRules); default:
                                           the adapter's default rules
  --prometheus-metrics-relist-interval D   how often the list of available metrics is refreshed (30s)
  --prometheus-metrics-max-age D           how far back a series counts as available (10m)
`;

type Values = Partial<Record<keyof typeof PROMETHEUS_UP_OPTIONS, string>> & {
  'no-custom-metrics'?: boolean;
};

function baseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `invalid --prometheus-url "${text}": expected a URL such as http://127.0.0.1:9090`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid --prometheus-url "${text}": expected an http or https URL`);
  }
  return text;
}

/** The adapter settings the flags give, or undefined without --prometheus-url; reads the rule file. */
export function prometheusConfigOf(values: Values): PrometheusAdapterConfig | undefined {
  const url = values['prometheus-url'];
  if (url === undefined) {
    const stray = Object.keys(PROMETHEUS_UP_OPTIONS).find(
      (k) =>
        k !== 'prometheus-url' && values[k as keyof typeof PROMETHEUS_UP_OPTIONS] !== undefined,
    );
    if (stray) {
      throw new UsageError(`--${stray} needs --prometheus-url`);
    }
    return undefined;
  }
  if (values['no-custom-metrics'] === true) {
    // The adapter's only job is serving those APIs: one of the two flags is a mistake.
    throw new UsageError(
      '--prometheus-url serves custom metrics; it cannot go with --no-custom-metrics',
    );
  }
  const config: PrometheusAdapterConfig = { url: baseUrl(url) };
  const file = values['prometheus-adapter-config'];
  if (file !== undefined) {
    try {
      // Read now, so a broken file stops `up` before anything starts (also with --detach).
      config.rules = configFromFile(file);
    } catch (e) {
      if (e instanceof AdapterConfigError) {
        throw new UsageError(`--prometheus-adapter-config ${file}: ${e.message}`);
      }
      throw e;
    }
    config.configFile = file;
  }
  const relist = values['prometheus-metrics-relist-interval'];
  if (relist !== undefined) {
    config.relistIntervalMs = parseDuration('prometheus-metrics-relist-interval', relist);
  }
  const maxAge = values['prometheus-metrics-max-age'];
  if (maxAge !== undefined) {
    config.maxAgeMs = parseDuration('prometheus-metrics-max-age', maxAge);
  }
  if (
    config.maxAgeMs !== undefined &&
    config.maxAgeMs < (config.relistIntervalMs ?? DEFAULT_RELIST_INTERVAL_MS)
  ) {
    throw new UsageError('max age must not be less than relist interval');
  }
  return config;
}

/** The line `up` prints about Prometheus; none without --prometheus-url. */
export function prometheusSummary(
  config: PrometheusAdapterConfig | undefined,
  apiUrl: string,
): string[] {
  if (!config) {
    return [];
  }
  const rules = config.configFile ? `rules from ${config.configFile}` : 'default rules';
  return [`prometheus: ${config.url} (${rules}); scrape targets: ${apiUrl}${TARGETS_PATH}`];
}
