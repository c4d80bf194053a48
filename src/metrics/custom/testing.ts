// Test support: pods and a Service written through a Client (tests pass the real in-memory API's),
// the built-in provider over a series store filled here, and the metrics API groups over it.
import type { Pod } from '../../apis/core/v1/types.js';
import type { Client } from '../../client/client.js';
import { SharedInformerFactory } from '../../client/informer.js';
import { NAMESPACES, PODS, SERVICES } from '../../client/resources.js';
import { ScrapedMetricsProvider } from '../scrape/provider.js';
import { SeriesStore } from '../scrape/series-store.js';
import { customMetricsApi, externalMetricsApi } from './api.js';
import type { MetricsApiGroup } from './api.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export interface MetricsFixture {
  store: SeriesStore;
  provider: ScrapedMetricsProvider;
  groups: MetricsApiGroup[];
  stop(): void;
}

function pod(name: string, labels: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'app' }] },
  };
}

/**
 * Pods web-a, web-b (app=web) and db-a (app=db), Service web; series: total_hit_count 100 (web-a)
 * and 32 (web-b) behind Service web, http_requests at 2/s on web-a (10 s apart).
 */
export async function metricsFixture(client: Client): Promise<MetricsFixture> {
  for (const [name, app] of [
    ['web-a', 'web'],
    ['web-b', 'web'],
    ['db-a', 'db'],
  ] as const) {
    await client.create(PODS, pod(name, { app }));
  }
  await client.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  const store = new SeriesStore(60_000);
  const web = (pod: string) => ({ namespace: 'default', service: 'web', pod, job: 'web' });
  const sample = (tMs: number, requests: number) =>
    store.ingest('t', tMs, [
      { metric: 'total_hit_count', kind: 'gauge', labels: web('web-a'), value: 100 },
      { metric: 'total_hit_count', kind: 'gauge', labels: web('web-b'), value: 32 },
      {
        metric: 'http_requests',
        kind: 'rate',
        labels: { ...web('web-a'), code: '200' },
        value: requests,
      },
    ]);
  sample(T0 - 10_000, 0);
  sample(T0, 20);
  const informers = new SharedInformerFactory(client);
  const listers = {
    pods: informers.informerFor(PODS),
    services: informers.informerFor(SERVICES),
    namespaces: informers.informerFor(NAMESPACES),
  };
  const controller = new AbortController();
  void informers.start(controller.signal);
  await informers.waitForSync();
  const provider = new ScrapedMetricsProvider({ store, listers });
  return {
    store,
    provider,
    groups: [customMetricsApi(() => provider), externalMetricsApi(() => provider)],
    stop: () => controller.abort(),
  };
}
