// The built-in custom metrics backend as the composition root wires it: the scraper (targets from
// pod annotations and ServiceMonitors, plus the proxy's counters) and the provider over its series.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import type { MetricsProviders } from '../custom/provider.js';
import type { TrafficSource } from './proxy-source.js';
import { BuiltinScraper } from './scraper.js';
import type { ScrapeOptions } from './scraper.js';

export { BuiltinScraper, DEFAULT_SCRAPE_OPTIONS, SERVICEMONITORS } from './scraper.js';
export type { ScrapeOptions, TargetHealth } from './scraper.js';
export type { TrafficSource } from './proxy-source.js';

export interface BuiltinMetricsDeps {
  client: Client;
  log: Logger;
  traffic?: TrafficSource;
}

/** The built-in providers of custom.metrics.k8s.io and external.metrics.k8s.io. */
export function createBuiltinProviders(
  deps: BuiltinMetricsDeps,
  opts: Partial<ScrapeOptions> = {},
): MetricsProviders & { scraper: BuiltinScraper } {
  const scraper = new BuiltinScraper(deps, opts);
  return {
    custom: scraper.provider,
    external: scraper.provider,
    scraper,
    start: (signal) => scraper.start(signal),
  };
}
