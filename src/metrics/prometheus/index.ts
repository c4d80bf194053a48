// The Prometheus-backed metrics providers, assembled: rules (a file in prometheus-adapter's format,
// or its defaults) compiled against the served resources, discovery on a timer, the custom and
// external providers, and the scrape targets handed to that Prometheus.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import type { MetricsProviders } from '../custom/provider.js';
import { configFromFile, defaultConfig } from './config.js';
import type { MetricsDiscoveryConfig } from './config.js';
import { PrometheusCustomProvider } from './custom-provider.js';
import { MetricsDiscovery } from './discovery.js';
import { PrometheusExternalProvider } from './external-provider.js';
import { MetricNamer } from './namer.js';
import { PromClient } from './prom-client.js';
import { RestMapper } from './rest-mapper.js';
import { ExternalSeriesRegistry, SeriesRegistry } from './series-registry.js';
import { PrometheusTargets } from './targets-endpoint.js';

export { TARGETS_PATH } from './targets-endpoint.js';
export { PromClient, PromError } from './prom-client.js';
export { AdapterConfigError, configFromYaml, defaultConfig } from './config.js';
export { RuleError } from './namer.js';

export const DEFAULT_RELIST_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_AGE_MS = 600_000;

export interface PrometheusAdapterConfig {
  /** Prometheus' base URL. */
  url: string;
  /** A prometheus-adapter rule file; the adapter's default rules when unset. */
  configFile?: string;
  /** Rules given directly (tests, embedding); wins over configFile. */
  rules?: MetricsDiscoveryConfig;
  /** Time between discovery rounds (default 30 s). */
  relistIntervalMs?: number;
  /** How far back a series counts as present (default 10 min, at least the relist interval). */
  maxAgeMs?: number;
  /** Each Prometheus request's deadline (default 10 s). */
  timeoutMs?: number;
}

export interface PrometheusAdapterDeps {
  client: Client;
  log?: Logger;
  now?: () => Date;
}

/** The providers for the metrics APIs (start runs discovery), and targets for the API server. */
export interface PrometheusAdapter extends MetricsProviders {
  targets: PrometheusTargets;
  discovery: MetricsDiscovery;
}

/**
 * Loads and compiles the rules (failing fast on a bad file or rule) and builds the providers.
 * Prometheus itself need not be up yet: discovery retries every round.
 */
export async function createPrometheusAdapter(
  deps: PrometheusAdapterDeps,
  config: PrometheusAdapterConfig,
): Promise<PrometheusAdapter> {
  const rules =
    config.rules ?? (config.configFile ? configFromFile(config.configFile) : defaultConfig());
  let mapper = new RestMapper(await deps.client.serverResources());
  const current = (): RestMapper => mapper;
  const namers = rules.rules.map((r) => new MetricNamer(r, current));
  const externalNamers = (rules.externalRules ?? []).map((r) => new MetricNamer(r, current));
  const prom = new PromClient({
    url: config.url,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  });
  const log = deps.log;
  const registry = new SeriesRegistry(current, log);
  const externalRegistry = new ExternalSeriesRegistry(log);
  const relistIntervalMs = config.relistIntervalMs ?? DEFAULT_RELIST_INTERVAL_MS;
  const discovery = new MetricsDiscovery({
    prom,
    rules: namers,
    externalRules: externalNamers,
    custom: registry,
    external: externalRegistry,
    relistIntervalMs,
    maxAgeMs: Math.max(config.maxAgeMs ?? DEFAULT_MAX_AGE_MS, relistIntervalMs),
    beforeRound: async () => {
      mapper = new RestMapper(await deps.client.serverResources());
    },
    ...(log ? { log } : {}),
  });
  const now = deps.now ?? (() => new Date());
  return {
    custom: new PrometheusCustomProvider({
      prom,
      registry,
      mapper: current,
      client: deps.client,
      now,
      ...(log ? { log } : {}),
    }),
    external: new PrometheusExternalProvider({
      prom,
      registry: externalRegistry,
      ...(log ? { log } : {}),
    }),
    targets: new PrometheusTargets(deps.client, log),
    discovery,
    start: (signal) => discovery.start(signal),
  };
}
