// The built-in scraper against the real API (memory store) and real HTTP targets on loopback: a
// good one, and malformed, slow and huge ones that fail alone, with a log line and an event each;
// plus the proxy's counters as requests_per_second.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import { createInMemoryApi } from '../../api/in-memory.js';
import type { InMemoryApi } from '../../api/in-memory.js';
import { EVENTS, PODS } from '../../client/resources.js';
import { TrafficStats } from '../../proxy/stats/proxy-stats.js';
import { everythingSelector } from '../../lib/labels.js';
import { BuiltinScraper } from './scraper.js';

let api: InMemoryApi;
let server: Server;
let port = 0;
const held: ServerResponse[] = [];
let hits = 0;
const traffic = new TrafficStats();
const controller = new AbortController();
let scraper: BuiltinScraper;
let done: Promise<void>;

const BODIES: Record<string, () => string> = {
  '/good': () =>
    `# TYPE total_hit_count gauge\ntotal_hit_count ${++hits}\nhttp_requests_total{code="200"} ${hits * 10}\n`,
  '/malformed': () => 'total_hit_count{oops 1\n',
  '/huge': () => `${'a_long_metric_name_padding_the_body 1\n'.repeat(1000)}`,
};

function pod(name: string, path: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web' },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': path,
        'kubeproc.io/port-map': JSON.stringify({ 8080: port }),
      },
    },
    spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 8080 }] }] },
  };
}

async function runningPod(name: string, path: string): Promise<void> {
  const created = await api.client.create(PODS, pod(name, path));
  await api.client.updateStatus(PODS, {
    ...created,
    status: { phase: 'Running', podIP: '127.0.0.1' },
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    // Another pod would have its own port; here it has its own path to the good body.
    const body = BODIES[req.url === '/good-extra' ? '/good' : (req.url ?? '')];
    if (body) {
      res.end(body());
    } else {
      held.push(res); // /slow: never answers
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  api = createInMemoryApi();
  for (const [name, path] of [
    ['good', '/good'],
    ['malformed', '/malformed'],
    ['slow', '/slow'],
    ['huge', '/huge'],
  ]) {
    await runningPod(name ?? '', path ?? '');
  }
  scraper = new BuiltinScraper(
    { client: api.client, log: pino({ level: 'silent' }), traffic },
    { intervalMs: 500, timeoutMs: 500, windowMs: 3000, maxBodyBytes: 20_000 },
  );
  done = scraper.start(controller.signal);
});

afterAll(async () => {
  controller.abort();
  await done;
  for (const res of held) {
    res.destroy();
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  api.store.close();
});

const healthOf = (pod: string) => scraper.health().find((h) => h.target.pod.name === pod);
const WAIT = { timeout: 5000, interval: 50 };

describe('BuiltinScraper', () => {
  it('scrapes the good target on its interval: gauges as values, counters as rates', async () => {
    await expect.poll(() => scraper.store.values('http_requests').length, WAIT).toBe(1);
    const [rate] = scraper.store.values('http_requests');
    // 10 per scrape every 500 ms: 20/s, give or take timer slack.
    expect(rate?.value).toBeGreaterThan(10);
    expect(rate?.value).toBeLessThan(30);
    expect(rate?.labels).toMatchObject({
      namespace: 'default',
      pod: 'good',
      code: '200',
      job: 'kubernetes-pods',
    });
    const info = {
      groupResource: { group: '', resource: 'pods' },
      namespaced: true,
      metric: 'total_hit_count',
    };
    const value = await scraper.provider.getMetricByName(
      { namespace: 'default', name: 'good' },
      info,
      everythingSelector(),
    );
    expect(Number(value.value)).toBeGreaterThan(0);
  });

  it.each([
    ['malformed', 'text format parsing error in line 1'],
    ['slow', 'context deadline exceeded'],
    ['huge', 'body size limit exceeded'],
  ])(
    'marks the %s target down with a clear reason, a Warning event, and no series',
    async (name, message) => {
      // A busy machine may time out a first scrape: the reason settles on the target's own.
      await expect.poll(() => healthOf(name)?.lastError ?? '', WAIT).toContain(message);
      expect(healthOf(name)?.health).toBe('down');
      await expect
        .poll(async () => {
          const events = await api.client.list(EVENTS, { namespace: 'default' });
          return events.items.filter(
            (e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === name,
          );
        }, WAIT)
        .toContainEqual(
          expect.objectContaining({
            type: 'Warning',
            reason: 'FailedScrape',
            message: expect.stringContaining(message),
          }),
        );
      expect(scraper.store.values('total_hit_count').map((s) => s.labels.pod)).toEqual(['good']);
    },
  );

  it('keeps scraping the good target while the others fail', async () => {
    const before = healthOf('good')?.lastScrapeMs ?? 0;
    await expect.poll(() => (healthOf('good')?.lastScrapeMs ?? 0) > before, WAIT).toBe(true);
    expect(healthOf('good')?.health).toBe('up');
  });

  it('drops a deleted pod’s target and series', async () => {
    await runningPod('extra', '/good-extra');
    await expect.poll(() => scraper.store.values('total_hit_count').length, WAIT).toBe(2);
    await api.client.delete(PODS, 'default', 'extra', { gracePeriodSeconds: 0 });
    await expect.poll(() => scraper.store.values('total_hit_count').length, WAIT).toBe(1);
    expect(healthOf('extra')).toBeUndefined();
  });

  it('turns the proxy’s counters into requests_per_second per pod and per Service', async () => {
    const scope = { namespace: 'default', service: 'web' };
    for (let i = 0; i < 20; i++) {
      traffic.begin(scope);
      traffic.beginAttempt(scope, 'good');
      traffic.end(scope, 200, 0.001, 'good');
      await new Promise((r) => setTimeout(r, 50));
    }
    // A loaded machine may not have sampled the counters twice yet: wait for both series.
    const labelsOf = () =>
      scraper.store
        .values('requests_per_second')
        .map((s) => s.labels)
        .sort((a, b) => Object.keys(a).length - Object.keys(b).length);
    await expect.poll(labelsOf, WAIT).toEqual([
      { namespace: 'default', service: 'web' },
      { namespace: 'default', pod: 'good', kubeproc_service: 'web' },
    ]);
    const rps = scraper.store.values('requests_per_second');
    for (const s of rps) {
      expect(s.value).toBeGreaterThan(5);
      expect(s.value).toBeLessThan(40);
    }
  });
});
