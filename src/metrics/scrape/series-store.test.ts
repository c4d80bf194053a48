import { describe, expect, it } from 'vitest';
import { counterRate, labelsKey, SeriesStore } from './series-store.js';
import type { ScrapedSeries } from './series-store.js';

const pt = (tMs: number, v: number) => ({ tMs, v });

describe('counterRate', () => {
  it.each([
    ['steady 10/s', [pt(0, 0), pt(1000, 10), pt(2000, 20)], 10],
    ['a reset counts the value after it', [pt(0, 100), pt(1000, 110), pt(2000, 5)], 7.5],
    ['flat', [pt(0, 3), pt(5000, 3)], 0],
    ['one sample', [pt(0, 3)], undefined],
    ['no time elapsed', [pt(0, 3), pt(0, 4)], undefined],
  ])('%s', (_what, points, rate) => {
    expect(counterRate(points)).toBe(rate);
  });
});

const gauge = (value: number, labels: Record<string, string> = { pod: 'a' }): ScrapedSeries => ({
  metric: 'hits',
  kind: 'gauge',
  labels,
  value,
});
const counter = (value: number, labels: Record<string, string> = { pod: 'a' }): ScrapedSeries => ({
  metric: 'http_requests',
  kind: 'rate',
  labels,
  value,
});

describe('SeriesStore', () => {
  it('keys label sets independently of their order', () => {
    expect(labelsKey({ b: '1', a: '2' })).toBe(labelsKey({ a: '2', b: '1' }));
  });

  it('gives gauges their latest value and counters their rate over the window', () => {
    const store = new SeriesStore(10_000);
    store.ingest('t', 0, [gauge(5), counter(0)]);
    expect(store.values('http_requests')).toEqual([]);
    store.ingest('t', 1000, [gauge(7), counter(4)]);
    store.ingest('t', 2000, [gauge(9), counter(8)]);
    expect(store.values('hits')).toEqual([{ labels: { pod: 'a' }, value: 9, atMs: 2000 }]);
    expect(store.values('http_requests')).toEqual([{ labels: { pod: 'a' }, value: 4, atMs: 2000 }]);
  });

  it('forgets samples older than the window', () => {
    const store = new SeriesStore(2000);
    store.ingest('t', 0, [counter(0)]);
    store.ingest('t', 1000, [counter(100)]);
    store.ingest('t', 3000, [counter(102)]);
    store.ingest('t', 4000, [counter(103)]);
    // Only 1000..4000 would keep the burst; the window of 2 s keeps 2000.. (3000 and 4000).
    expect(store.values('http_requests')[0]?.value).toBe(1);
  });

  it('drops series a scrape no longer has, and whole targets', () => {
    const store = new SeriesStore(10_000);
    store.ingest('t1', 0, [gauge(1, { pod: 'a' }), gauge(2, { pod: 'b' })]);
    store.ingest('t2', 0, [gauge(3, { pod: 'c' })]);
    store.ingest('t1', 1000, [gauge(1, { pod: 'a' })]);
    expect(
      store
        .values('hits')
        .map((s) => s.labels.pod)
        .sort(),
    ).toEqual(['a', 'c']);
    store.dropTarget('t2');
    expect(store.values('hits').map((s) => s.labels.pod)).toEqual(['a']);
    expect(store.size).toBe(1);
    store.dropTarget('t1');
    expect(store.metricLabels().size).toBe(0);
  });

  it('lists each metric with the label names of its series', () => {
    const store = new SeriesStore(10_000);
    store.ingest('t', 0, [gauge(1, { pod: 'a', namespace: 'x' }), counter(1, { service: 's' })]);
    expect(store.metricLabels()).toEqual(
      new Map([
        ['hits', new Set(['pod', 'namespace'])],
        ['http_requests', new Set(['service'])],
      ]),
    );
  });
});
