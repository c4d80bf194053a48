import { describe, expect, it } from 'vitest';
import { MetricsScraper } from './scraper.js';
import { MetricsStorage } from './storage.js';
import type { KubeletSummary } from './summary.js';

const NODE = { metadata: { name: 'fast' } };
const summary = (nodeName: string): KubeletSummary => ({
  node: {
    nodeName,
    cpu: { time: '2026-01-01T00:00:00Z', usageNanoCores: 1 },
    memory: { time: '2026-01-01T00:00:00Z', workingSetBytes: 1 },
  },
  pods: [],
});

describe('MetricsScraper', () => {
  it('gives up on a node past its deadline and keeps the others', async () => {
    const storage = new MetricsStorage();
    let aborted: unknown;
    const scraper = new MetricsScraper({
      resolutionMs: 1000,
      timeoutMs: 30,
      storage,
      sources: () => [
        { nodeName: 'fast', summary: () => Promise.resolve(summary('fast')) },
        {
          nodeName: 'stuck',
          summary: (signal) =>
            new Promise<KubeletSummary>(() => {
              signal.addEventListener('abort', () => {
                aborted = signal.reason as unknown;
              });
            }),
        },
      ],
    });
    await scraper.scrapeNow();
    expect(storage.nodeMetrics(NODE, new Date())?.usage).toEqual({ cpu: '1n', memory: '1' });
    expect(storage.nodeMetrics({ metadata: { name: 'stuck' } }, new Date())).toBeUndefined();
    expect(String(aborted)).toMatch(/scraping node "stuck" timed out after 30 ms/);
  });

  it('survives a sources() that throws', async () => {
    const storage = new MetricsStorage();
    let calls = 0;
    const scraper = new MetricsScraper({
      resolutionMs: 1000,
      storage,
      sources: () => {
        if (calls++ === 0) {
          throw new Error('no nodes');
        }
        return [{ nodeName: 'fast', summary: () => Promise.resolve(summary('fast')) }];
      },
    });
    await scraper.scrapeNow();
    await scraper.scrapeNow();
    expect(storage.nodeMetrics(NODE, new Date())).toBeDefined();
  });
});
