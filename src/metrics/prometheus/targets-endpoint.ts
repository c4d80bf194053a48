// Serves the scrape targets to a Prometheus server: GET answers http_sd_configs' JSON (a list of
// target groups). What to scrape is decided in one place, the built-in scraper's computeTargets
// (annotated pods, ServiceMonitors), so both providers see the same pods with the same labels.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Client, ResourceRef } from '../../client/client.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import type { ServiceMonitor } from '../../apis/monitoring/types.js';
import { computeTargets } from '../scrape/targets.js';
import type { ScrapeTarget } from '../scrape/targets.js';
import { promDuration } from './config.js';

/** Where kubeproc serves the targets on its API port (a non-resource path). */
export const TARGETS_PATH = '/prometheus/targets';

export const SERVICEMONITORS: ResourceRef = {
  group: 'monitoring.coreos.com',
  version: 'v1',
  resource: 'servicemonitors',
};

/** One http_sd_configs / file_sd_configs entry. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

// Prometheus' default scrape_timeout: a per-target interval below it needs its own timeout, or
// Prometheus drops the target ("scrape timeout greater than scrape interval").
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A scrape target as http_sd gives it: the address, and the URL's path, scheme and parameters as
 * Prometheus' `__metrics_path__`, `__scheme__`, `__param_<name>` labels; a ServiceMonitor's own
 * interval as `__scrape_interval__` / `__scrape_timeout__` (Prometheus >= 2.30). Interval 0 means
 * "the job's". honorLabels has no per-target form: the job's honor_labels applies.
 */
export function targetGroup(t: ScrapeTarget): TargetGroup {
  const url = new URL(t.url);
  const labels: Record<string, string> = {
    ...t.labels,
    __metrics_path__: url.pathname,
    __scheme__: url.protocol.replace(/:$/, ''),
  };
  for (const [k, v] of url.searchParams) {
    labels[`__param_${k}`] = v;
  }
  if (t.intervalMs > 0) {
    const timeoutMs = t.timeoutMs > 0 ? t.timeoutMs : Math.min(t.intervalMs, DEFAULT_TIMEOUT_MS);
    labels.__scrape_interval__ = promDuration(t.intervalMs);
    labels.__scrape_timeout__ = promDuration(timeoutMs);
  }
  return { targets: [url.host], labels };
}

/** Computes and serves the scrape targets. */
export class PrometheusTargets {
  constructor(
    private readonly client: Client,
    private readonly log?: Logger,
  ) {}

  /** The target groups for what the API holds now. */
  async groups(): Promise<TargetGroup[]> {
    const [pods, services, endpoints, serviceMonitors] = await Promise.all([
      this.client.list(PODS),
      this.client.list(SERVICES),
      this.client.list(ENDPOINTS),
      this.serviceMonitors(),
    ]);
    const targets = computeTargets(
      {
        pods: pods.items,
        services: services.items,
        endpoints: endpoints.items,
        serviceMonitors,
      },
      { intervalMs: 0, timeoutMs: 0 },
    );
    return targets.map(targetGroup);
  }

  // The ServiceMonitor kind may not be served (a real cluster without the operator's CRDs).
  private async serviceMonitors(): Promise<ServiceMonitor[]> {
    try {
      return (await this.client.list(SERVICEMONITORS)).items as ServiceMonitor[];
    } catch (e) {
      if (isNotFound(e)) {
        return [];
      }
      throw e;
    }
  }

  /** The HTTP handler (register it as a non-resource path on the API server). */
  readonly serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    this.groups().then(
      (groups) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(groups));
      },
      (e: unknown) => {
        this.log?.error({ err: e }, 'computing prometheus targets');
        // http_sd keeps its last good list when an answer fails, which is what we want here.
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('unable to compute targets\n');
      },
    );
  };
}
