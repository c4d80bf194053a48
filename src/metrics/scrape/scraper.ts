// The built-in scraper: keeps the target list in step with pods, Services, Endpoints and
// ServiceMonitors, scrapes each target on its interval with bounded concurrency, time and size,
// stores the series, samples the proxy's counters, and reports broken targets once per change
// (a log line and a Warning event on the pod) without ever affecting other targets.
import type { Logger } from 'pino';
import { MONITORING_GROUP, MONITORING_VERSION } from '../../apis/monitoring/types.js';
import type { ServiceMonitor } from '../../apis/monitoring/types.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { SharedInformerFactory } from '../../client/informer.js';
import type { Informer } from '../../client/informer.js';
import { ENDPOINTS, NAMESPACES, PODS, SERVICES } from '../../client/resources.js';
import { parseExposition } from './exposition.js';
import { fetchMetrics } from './fetch-target.js';
import { toSeries } from './naming.js';
import { ScrapedMetricsProvider } from './provider.js';
import { PROXY_TARGET, proxySeries, withIdleBackends } from './proxy-source.js';
import type { TrafficSource } from './proxy-source.js';
import { SeriesStore } from './series-store.js';
import { computeTargets } from './targets.js';
import type { ScrapeTarget } from './targets.js';

export const SERVICEMONITORS = {
  group: MONITORING_GROUP,
  version: MONITORING_VERSION,
  resource: 'servicemonitors',
};

export interface ScrapeOptions {
  /** Scrape interval of targets that set none (Prometheus' global scrape_interval). */
  intervalMs: number;
  /** Scrape timeout of targets that set none; never more than the interval. */
  timeoutMs: number;
  /** Window counters are turned into rates over (prometheus-adapter's rate interval). */
  windowMs: number;
  /** Bodies beyond this many bytes fail the scrape. */
  maxBodyBytes: number;
  /** Scrapes with more samples fail (Prometheus' sample_limit). */
  maxSamples: number;
  /** Scrapes in flight at once. */
  concurrency: number;
}

export const DEFAULT_SCRAPE_OPTIONS: ScrapeOptions = {
  intervalMs: 15_000,
  timeoutMs: 10_000,
  windowMs: 60_000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxSamples: 20_000,
  concurrency: 16,
};

export interface ScraperDeps {
  client: Client;
  log: Logger;
  /** The proxy's counters (requests_per_second, requests_in_flight); none without a proxy. */
  traffic?: TrafficSource;
  now?: () => Date;
}

/** One target's last scrape, for logs, events and tests. */
export interface TargetHealth {
  target: ScrapeTarget;
  health: 'unknown' | 'up' | 'down';
  lastError?: string;
  lastScrapeMs?: number;
  lastSuccessMs?: number;
  durationMs?: number;
  bytes?: number;
  samples?: number;
  nextDueMs: number;
  isInFlight: boolean;
}

const TICK_MS = 200;

export class BuiltinScraper {
  readonly store: SeriesStore;
  readonly provider: ScrapedMetricsProvider;
  private readonly opts: ScrapeOptions;
  private readonly informers: SharedInformerFactory;
  private readonly inf: Record<
    'pods' | 'services' | 'endpoints' | 'monitors' | 'namespaces',
    Informer
  >;
  private readonly states = new Map<string, TargetHealth>();
  private readonly events: EventRecorder;
  private readonly now: () => Date;
  private isDirty = true;
  private inFlight = 0;
  private nextProxyMs = 0;

  constructor(
    private readonly deps: ScraperDeps,
    opts: Partial<ScrapeOptions> = {},
  ) {
    const merged = { ...DEFAULT_SCRAPE_OPTIONS, ...opts };
    this.opts = { ...merged, timeoutMs: Math.min(merged.timeoutMs, merged.intervalMs) };
    this.now = deps.now ?? (() => new Date());
    this.store = new SeriesStore(this.opts.windowMs);
    this.informers = new SharedInformerFactory(deps.client);
    this.inf = {
      pods: this.informers.informerFor(PODS),
      services: this.informers.informerFor(SERVICES),
      endpoints: this.informers.informerFor(ENDPOINTS),
      monitors: this.informers.informerFor(SERVICEMONITORS),
      namespaces: this.informers.informerFor(NAMESPACES),
    };
    const dirty = { onAdd: this.markDirty, onUpdate: this.markDirty, onDelete: this.markDirty };
    for (const key of ['pods', 'services', 'endpoints', 'monitors'] as const) {
      this.inf[key].addEventHandler(dirty);
    }
    this.events = new EventRecorder(deps.client, 'kubeproc-scraper', deps.log, this.now);
    this.provider = new ScrapedMetricsProvider({
      store: this.store,
      listers: {
        pods: this.inf.pods,
        services: this.inf.services,
        namespaces: this.inf.namespaces,
      },
    });
  }

  private readonly markDirty = (): void => {
    this.isDirty = true;
  };

  /** Every target with its last scrape. */
  health(): TargetHealth[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  /** Scrapes until the signal aborts; resolves once scrapes in flight ended. */
  async start(signal: AbortSignal): Promise<void> {
    const informersDone = this.informers.start(signal);
    await this.informers.waitForSync();
    const running = new Set<Promise<void>>();
    while (!signal.aborted) {
      this.tick(signal, running);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TICK_MS);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
    await Promise.allSettled([...running]);
    await informersDone;
  }

  private tick(signal: AbortSignal, running: Set<Promise<void>>): void {
    const nowMs = this.now().getTime();
    if (this.isDirty) {
      this.isDirty = false;
      this.syncTargets(nowMs);
    }
    this.sampleProxy(nowMs);
    const due = [...this.states.values()]
      .filter((s) => !s.isInFlight && s.nextDueMs <= nowMs)
      .sort((a, b) => a.nextDueMs - b.nextDueMs);
    for (const state of due) {
      if (this.inFlight >= this.opts.concurrency) {
        break;
      }
      const p = this.scrape(state, signal).finally(() => running.delete(p));
      running.add(p);
    }
    this.dropStale(nowMs);
  }

  private syncTargets(nowMs: number): void {
    const targets = computeTargets(
      {
        pods: this.inf.pods.list(),
        services: this.inf.services.list(),
        endpoints: this.inf.endpoints.list(),
        serviceMonitors: this.inf.monitors.list() as ServiceMonitor[],
      },
      { intervalMs: this.opts.intervalMs, timeoutMs: this.opts.timeoutMs },
    );
    const wanted = new Map(targets.map((t) => [t.key, t]));
    for (const key of this.states.keys()) {
      if (!wanted.has(key)) {
        this.states.delete(key);
        this.store.dropTarget(key);
      }
    }
    for (const t of targets) {
      const state = this.states.get(t.key);
      if (state) {
        state.target = t;
      } else {
        // A first scrape soon, spread over a second so a new Deployment's pods do not align.
        const offset = Math.floor(Math.random() * Math.min(1000, t.intervalMs));
        this.states.set(t.key, {
          target: t,
          health: 'unknown',
          nextDueMs: nowMs + offset,
          isInFlight: false,
        });
      }
    }
  }

  private sampleProxy(nowMs: number): void {
    const traffic = this.deps.traffic;
    if (!traffic || nowMs < this.nextProxyMs) {
      return;
    }
    this.nextProxyMs = nowMs + this.opts.intervalMs;
    const rows = withIdleBackends(traffic.series(), this.inf.endpoints.list());
    this.store.ingest(PROXY_TARGET, nowMs, proxySeries(rows));
  }

  /** Series of a target whose scrapes keep failing go stale after the window (3 intervals at least). */
  private dropStale(nowMs: number): void {
    for (const s of this.states.values()) {
      const lookbackMs = Math.max(this.opts.windowMs, 3 * s.target.intervalMs);
      if (
        s.health === 'down' &&
        s.lastSuccessMs !== undefined &&
        s.lastSuccessMs < nowMs - lookbackMs
      ) {
        this.store.dropTarget(s.target.key);
        delete s.lastSuccessMs;
      }
    }
  }

  private async scrape(state: TargetHealth, signal: AbortSignal): Promise<void> {
    const t = state.target;
    state.isInFlight = true;
    this.inFlight++;
    const startedMs = this.now().getTime();
    const t0 = performance.now();
    try {
      const body = await fetchMetrics(t.url, {
        timeoutMs: t.timeoutMs,
        maxBytes: t.bodySizeLimit ?? this.opts.maxBodyBytes,
        signal,
      });
      const parsed = parseExposition(body, t.sampleLimit ?? this.opts.maxSamples);
      // The target may have gone while the scrape was in flight: its series must not return.
      if (this.states.get(t.key) === state) {
        this.store.ingest(t.key, startedMs, toSeries(parsed.samples, t));
      }
      this.succeeded(state, { bytes: Buffer.byteLength(body), samples: parsed.samples.length });
    } catch (e) {
      if (!signal.aborted) {
        this.failed(state, (e as Error).message);
      }
    } finally {
      state.durationMs = performance.now() - t0;
      state.lastScrapeMs = startedMs;
      state.nextDueMs = startedMs + t.intervalMs;
      state.isInFlight = false;
      this.inFlight--;
    }
  }

  private succeeded(state: TargetHealth, size: { bytes: number; samples: number }): void {
    if (state.health === 'down') {
      this.deps.log.info(
        { url: state.target.url, source: state.target.source },
        'scrape target recovered',
      );
    }
    state.health = 'up';
    state.bytes = size.bytes;
    state.samples = size.samples;
    state.lastSuccessMs = this.now().getTime();
    delete state.lastError;
  }

  private failed(state: TargetHealth, message: string): void {
    const t = state.target;
    const isNew = state.health !== 'down' || state.lastError !== message;
    state.health = 'down';
    state.lastError = message;
    if (!isNew) {
      return;
    }
    this.deps.log.warn(
      { url: t.url, source: t.source, pod: `${t.pod.namespace}/${t.pod.name}`, err: message },
      'scrape failed',
    );
    const pod = this.inf.pods.get(t.pod.namespace, t.pod.name);
    if (pod) {
      this.events.event(
        pod,
        'Warning',
        'FailedScrape',
        `Scraping ${t.url} (${t.source}) failed: ${message}`,
      );
    }
  }
}
