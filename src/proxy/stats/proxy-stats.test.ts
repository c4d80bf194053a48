import { describe, expect, it } from 'vitest';
import { escapeLabel, renderMetrics } from './prometheus.js';
import { codeClass, TrafficStats } from './proxy-stats.js';

const scope = { namespace: 'default', service: 'web' };

function clocked() {
  const clock = { now: 0 };
  return { clock, stats: new TrafficStats(() => clock.now) };
}

describe('TrafficStats', () => {
  it.each([
    [101, '1xx'],
    [200, '2xx'],
    [308, '3xx'],
    [499, '4xx'],
    [503, '5xx'],
  ])('puts %i in %s', (status, expected) => {
    expect(codeClass(status)).toBe(expected);
  });

  it('counts per Service and per pod, with retries, failures and latency buckets', () => {
    const { clock, stats } = clocked();
    stats.begin(scope);
    stats.beginAttempt(scope, 'a');
    stats.failAttempt(scope, 'a', true);
    stats.beginAttempt(scope, 'b');
    clock.now = 30;
    stats.end(scope, 200, 0.03, 'b');
    stats.begin(scope);
    stats.end(scope, 503, 0.001);
    const svc = stats.service('default', 'web');
    expect(svc).toMatchObject({ requests: 2, inFlight: 0, retries: 1, failures: 0 });
    expect(svc?.responses).toEqual({ '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1 });
    // 0.001 s falls in the first bucket (le 0.005), 0.03 s in le 0.05.
    expect(svc?.latencyBuckets.slice(0, 5)).toEqual([1, 0, 0, 1, 0]);
    const pods = stats.pods('default', 'web');
    expect([...pods.keys()].sort()).toEqual(['a', 'b']);
    expect(pods.get('a')).toMatchObject({ requests: 0, failures: 1, inFlight: 0 });
    expect(pods.get('b')).toMatchObject({ requests: 1, failures: 0, inFlight: 0 });
    expect(stats.service('default', 'none')).toBeUndefined();
  });

  it('integrates in-flight over time: the rate of concurrencySeconds is the mean concurrency', () => {
    const { clock, stats } = clocked();
    stats.begin(scope); // 1 in flight from t=0
    clock.now = 1000;
    stats.begin(scope); // 2 in flight from t=1 s
    clock.now = 2000;
    stats.end(scope, 200, 2);
    stats.end(scope, 200, 1);
    clock.now = 4000;
    expect(stats.service('default', 'web')?.concurrencySeconds).toBeCloseTo(3);
  });

  it('counts TCP connections and drops idle pod series', () => {
    const { clock, stats } = clocked();
    stats.begin(scope);
    stats.beginAttempt(scope, 'a');
    stats.connected(scope, 'a');
    expect(stats.pods('default', 'web').get('a')).toMatchObject({ connections: 1, inFlight: 1 });
    clock.now = 10_000;
    stats.prune(1000);
    expect(stats.pods('default', 'web').has('a')).toBe(true); // still open
    stats.closed(scope, 'a');
    clock.now = 20_000;
    stats.prune(1000);
    expect(stats.pods('default', 'web').size).toBe(0);
    expect(stats.service('default', 'web')).toMatchObject({ connections: 1, inFlight: 0 });
  });
});

describe('renderMetrics', () => {
  it('writes the Prometheus text format with cumulative buckets', () => {
    const { stats } = clocked();
    stats.begin(scope);
    stats.beginAttempt(scope, 'a');
    stats.end(scope, 200, 0.02, 'a');
    const text = renderMetrics(stats);
    expect(text).toContain('# TYPE kubeproc_proxy_requests_total counter\n');
    expect(text).toContain(
      'kubeproc_proxy_requests_total{namespace="default",service="web",pod="a",code="2xx"} 1\n',
    );
    expect(text).toContain(
      'kubeproc_proxy_request_duration_seconds_bucket{namespace="default",service="web",pod="",le="0.01"} 0\n',
    );
    expect(text).toContain(
      'kubeproc_proxy_request_duration_seconds_bucket{namespace="default",service="web",pod="",le="0.025"} 1\n',
    );
    expect(text).toContain(
      'kubeproc_proxy_request_duration_seconds_bucket{namespace="default",service="web",pod="",le="+Inf"} 1\n',
    );
    expect(text).toContain(
      'kubeproc_proxy_request_duration_seconds_count{namespace="default",service="web",pod="a"} 1\n',
    );
    expect(text).toMatch(
      /kubeproc_proxy_retries_total\{namespace="default",service="web",pod=""\} 0\n/,
    );
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
    }
  });

  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
  ])('escapes label value %j', (value, expected) => {
    expect(escapeLabel(value)).toBe(expected);
  });
});
