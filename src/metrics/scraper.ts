// Scrapes every node's summary each metric resolution (metrics-server pkg/scraper + server's
// tick): a few nodes at a time, each with a deadline, and stores the batch whole.
import type { Logger } from 'pino';
import { addSummary, emptyBatch } from './decode.js';
import type { MetricsStorage } from './storage.js';
import type { KubeletSummary, SummarySource } from './summary.js';

export interface MetricsScraperOptions {
  /** Time between scrapes; also the window of the kubelet rates (the node samples as often). */
  resolutionMs: number;
  /** The nodes to scrape, asked every round (nodes come and go). */
  sources(): SummarySource[];
  storage: MetricsStorage;
  /** One node's deadline (metrics-server's kubelet request timeout); default 90% of resolution. */
  timeoutMs?: number;
  /** Nodes scraped at once (default 8). */
  concurrency?: number;
  log?: Logger;
}

/** A scrape of one node that ran out of time. */
export class ScrapeTimeoutError extends Error {
  readonly code = 'ScrapeTimeout';

  constructor(nodeName: string, timeoutMs: number) {
    super(`scraping node "${nodeName}" timed out after ${timeoutMs} ms`);
    this.name = 'ScrapeTimeoutError';
  }
}

/** Fills a MetricsStorage from the nodes' summaries on a timer. */
export class MetricsScraper {
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly opts: MetricsScraperOptions) {}

  /** Scrapes now and every resolutionMs; resolves once the signal aborted and the round ended. */
  async start(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const startedMs = Date.now();
      await this.scrapeNow();
      // Keep the cadence: the time a round took comes off the wait for the next.
      await sleep(Math.max(0, this.opts.resolutionMs - (Date.now() - startedMs)), signal);
    }
  }

  /** One round now (after any round in progress); never rejects, a failed node is logged. */
  scrapeNow(): Promise<void> {
    // The catch keeps the chain alive: one failed round must not skip every later one.
    this.round = this.round
      .then(() => this.scrapeRound())
      .catch((err: unknown) => this.opts.log?.warn({ err }, 'scraping metrics'));
    return this.round;
  }

  private async scrapeRound(): Promise<void> {
    const { resolutionMs, concurrency = 8 } = this.opts;
    const sources = this.opts.sources();
    const summaries: (KubeletSummary | undefined)[] = sources.map(() => undefined);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < sources.length; i = next++) {
        summaries[i] = await this.scrapeNode(sources[i] as SummarySource);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
    const batch = emptyBatch();
    for (const summary of summaries) {
      if (summary) {
        addSummary(batch, summary, resolutionMs);
      }
    }
    this.opts.storage.store(batch);
  }

  private async scrapeNode(source: SummarySource): Promise<KubeletSummary | undefined> {
    const timeoutMs = this.opts.timeoutMs ?? Math.floor(this.opts.resolutionMs * 0.9);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = new ScrapeTimeoutError(source.nodeName, timeoutMs);
        controller.abort(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      return await Promise.race([source.summary(controller.signal), timedOut]);
    } catch (err) {
      this.opts.log?.warn({ err, node: source.nodeName }, 'scraping node metrics');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}
