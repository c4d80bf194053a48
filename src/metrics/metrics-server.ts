// kubeproc's metrics-server: scrapes the nodes' summaries every metric resolution and serves
// metrics.k8s.io PodMetrics and NodeMetrics from the latest scrape.
import type { Logger } from 'pino';
import type { Client } from '../client/client.js';
import { withMetricsApi } from './client.js';
import { NodeMetricsResource } from './node-metrics.js';
import { PodMetricsResource } from './pod-metrics.js';
import { MetricsScraper } from './scraper.js';
import { MetricsStorage } from './storage.js';
import type { SummarySource } from './summary.js';

export interface MetricsServerOptions {
  /** Reads pods and nodes (any Client: metrics never come from it). */
  client: Client;
  /** Scrape period and the window of the rates (metrics-server's --metric-resolution). */
  resolutionMs: number;
  now?: () => Date;
  log?: Logger;
}

/** The metrics server: its scraper, its storage, and the two resources it serves. */
export class MetricsServer {
  readonly pods: PodMetricsResource;
  readonly nodes: NodeMetricsResource;
  private readonly sources = new Map<string, SummarySource>();
  private readonly scraper: MetricsScraper;

  constructor(opts: MetricsServerOptions) {
    const storage = new MetricsStorage();
    const deps = { client: opts.client, storage, now: opts.now ?? (() => new Date()) };
    this.pods = new PodMetricsResource(deps);
    this.nodes = new NodeMetricsResource(deps);
    this.scraper = new MetricsScraper({
      resolutionMs: opts.resolutionMs,
      sources: () => [...this.sources.values()],
      storage,
      ...(opts.log ? { log: opts.log } : {}),
    });
  }

  /** Adds (or replaces) the summary source of a node. */
  addSource(source: SummarySource): void {
    this.sources.set(source.nodeName, source);
  }

  /** Scrapes until the signal aborts; resolves once the last round has ended. */
  start(signal: AbortSignal): Promise<void> {
    return this.scraper.start(signal);
  }

  /** One scrape now (tests, and a first scrape without waiting a resolution). */
  scrapeNow(): Promise<void> {
    return this.scraper.scrapeNow();
  }

  /** `client` with metrics.k8s.io reads answered here, for loops that read metrics in-process. */
  clientWithMetrics(client: Client): Client {
    return withMetricsApi(client, { pods: this.pods, nodes: this.nodes });
  }
}
