import { describe, expect, it } from 'vitest';
import { customMetricsConfigOf } from './up-metrics.js';

describe('customMetricsConfigOf', () => {
  it('keeps the defaults when no flag is given', () => {
    expect(customMetricsConfigOf({})).toEqual({ scrape: {} });
  });

  it('reads durations and sizes', () => {
    expect(
      customMetricsConfigOf({
        'scrape-interval': '1s',
        'scrape-timeout': '500ms',
        'custom-metrics-rate-window': '5s',
        'scrape-body-size-limit': '1MiB',
      }),
    ).toEqual({
      scrape: { intervalMs: 1000, timeoutMs: 500, windowMs: 5000, maxBodyBytes: 1024 * 1024 },
    });
  });

  it('turns the APIs off', () => {
    expect(customMetricsConfigOf({ 'no-custom-metrics': true })).toEqual({ enabled: false });
  });

  it.each([
    [{ 'scrape-interval': 'soon' }, 'invalid --scrape-interval "soon"'],
    [{ 'scrape-body-size-limit': 'big' }, 'invalid --scrape-body-size-limit "big"'],
    [
      { 'custom-metrics-rate-window': '20s' },
      'invalid --custom-metrics-rate-window "20s": must be at least twice the scrape interval',
    ],
  ])('rejects %j', (values, message) => {
    expect(() => customMetricsConfigOf(values)).toThrow(message);
  });
});
