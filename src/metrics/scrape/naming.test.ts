import { describe, expect, it } from 'vitest';
import { adapterMetric, toSeries, withTargetLabels } from './naming.js';

describe('adapterMetric (prometheus-adapter default rules)', () => {
  it.each([
    ['http_requests_total', { metric: 'http_requests', kind: 'rate' }],
    ['process_cpu_seconds_total', { metric: 'process_cpu', kind: 'rate' }],
    ['total_hit_count', { metric: 'total_hit_count', kind: 'gauge' }],
    [
      'request_duration_seconds_bucket',
      { metric: 'request_duration_seconds_bucket', kind: 'gauge' },
    ],
    ['_total', undefined],
  ])('%s', (name, expected) => {
    expect(adapterMetric(name)).toEqual(expected);
  });
});

describe('withTargetLabels', () => {
  const target = { namespace: 'default', pod: 'web-1', job: 'web' };

  it('renames clashing scraped labels to exported_*, as honor_labels: false', () => {
    expect(withTargetLabels({ job: 'app', code: '200' }, target, false)).toEqual({
      exported_job: 'app',
      code: '200',
      ...target,
    });
  });

  it('keeps scraped labels with honorLabels', () => {
    expect(withTargetLabels({ job: 'app' }, target, true)).toEqual({ ...target, job: 'app' });
  });
});

describe('toSeries', () => {
  it('names each sample and attaches the target labels', () => {
    const series = toSeries(
      [
        { name: 'http_requests_total', labels: { code: '200' }, value: 7 },
        { name: '_total', labels: {}, value: 1 },
      ],
      { labels: { pod: 'p' }, honorLabels: false },
    );
    expect(series).toEqual([
      { metric: 'http_requests', kind: 'rate', labels: { code: '200', pod: 'p' }, value: 7 },
    ]);
  });
});
