// Rule discovery on a timer (prometheus-adapter's cachingMetricsLister / periodicMetricLister):
// each distinct seriesQuery asked once per round from /api/v1/series over the last maxAge, each
// rule's filters applied, the registries replaced whole. A failed round keeps the last listing.
import type { Logger } from 'pino';
import type { MetricNamer } from './namer.js';
import type { PromClient, PromLabels } from './prom-client.js';
import type { ExternalSeriesRegistry, RuleSeries, SeriesRegistry } from './series-registry.js';

export interface DiscoveryOptions {
  prom: PromClient;
  rules: MetricNamer[];
  externalRules: MetricNamer[];
  custom: SeriesRegistry;
  external: ExternalSeriesRegistry;
  /** Time between rounds (the adapter's --metrics-relist-interval). */
  relistIntervalMs: number;
  /** How far back series count as present (--metrics-max-age; at least the relist interval). */
  maxAgeMs: number;
  /** Called before each round, so resources served since the last one are known. */
  beforeRound?: () => Promise<void>;
  now?: () => number;
  log?: Logger;
}

/** Keeps the registries in step with what Prometheus has. */
export class MetricsDiscovery {
  constructor(private readonly opts: DiscoveryOptions) {}

  /** One listing round; rejects (leaving the registries as they were) when a query fails. */
  async relist(): Promise<void> {
    const { prom, rules, externalRules, maxAgeMs } = this.opts;
    await this.opts.beforeRound?.();
    const start = (this.opts.now?.() ?? Date.now()) - maxAgeMs;
    const selectors = [...new Set([...rules, ...externalRules].map((n) => n.seriesQuery))];
    const answers = await Promise.all(
      selectors.map(async (sel): Promise<[string, PromLabels[]]> => {
        try {
          return [sel, await prom.series(sel, start)];
        } catch (e) {
          throw new Error(`unable to fetch metrics for query ${JSON.stringify(sel)}`, {
            cause: e,
          });
        }
      }),
    );
    const bySelector = new Map(answers);
    const found = (namers: MetricNamer[]): RuleSeries[] =>
      namers.map((namer) => ({
        namer,
        series: namer.filterSeries(bySelector.get(namer.seriesQuery) ?? []),
      }));
    this.opts.custom.setSeries(found(rules));
    this.opts.external.setSeries(found(externalRules));
  }

  /** Relists now and every interval until the signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    let failing = false;
    while (!signal.aborted) {
      await this.relist().then(
        () => {
          if (failing) {
            this.opts.log?.info('list of all metrics updated again');
          }
          failing = false;
        },
        (e: unknown) => {
          // Once per outage at warn (a relist may run every second), then at debug.
          this.opts.log?.[failing ? 'debug' : 'warn'](
            { err: e },
            'unable to update list of all metrics',
          );
          failing = true;
        },
      );
      await sleep(this.opts.relistIntervalMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
