import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusConfigOf, prometheusSummary } from './up-prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeproc-up-prom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prometheusConfigOf', () => {
  it('is off without --prometheus-url', () => {
    expect(prometheusConfigOf({})).toBeUndefined();
  });

  it('reads the URL, the rule file and the discovery periods', () => {
    const file = join(dir, 'adapter.yaml');
    writeFileSync(file, 'rules:\n- seriesQuery: up\n  metricsQuery: up\n');
    expect(
      prometheusConfigOf({
        'prometheus-url': 'http://127.0.0.1:9090',
        'prometheus-adapter-config': file,
        'prometheus-metrics-relist-interval': '1s',
        'prometheus-metrics-max-age': '1m',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:9090',
      configFile: file,
      rules: { rules: [{ seriesQuery: 'up', metricsQuery: 'up' }] },
      relistIntervalMs: 1000,
      maxAgeMs: 60_000,
    });
  });

  it.each([
    [{ 'prometheus-url': 'localhost:9090' }, 'expected an http or https URL'],
    [{ 'prometheus-url': 'not a url' }, 'invalid --prometheus-url "not a url"'],
    [
      { 'prometheus-adapter-config': 'x.yaml' },
      '--prometheus-adapter-config needs --prometheus-url',
    ],
    [
      { 'prometheus-url': 'http://p', 'prometheus-adapter-config': '/nonexistent/adapter.yaml' },
      'unable to load metrics discovery config file',
    ],
    [
      {
        'prometheus-url': 'http://p',
        'prometheus-metrics-relist-interval': '1m',
        'prometheus-metrics-max-age': '10s',
      },
      'max age must not be less than relist interval',
    ],
    [
      { 'prometheus-url': 'http://p', 'no-custom-metrics': true },
      '--prometheus-url serves custom metrics; it cannot go with --no-custom-metrics',
    ],
  ])('refuses %j', (values, message) => {
    expect(() => prometheusConfigOf(values)).toThrow(message);
  });

  it('refuses a rule file with unknown fields before anything starts', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rules:\n- seriesQuery: up\n  metricQuery: up\n');
    expect(() =>
      prometheusConfigOf({ 'prometheus-url': 'http://p', 'prometheus-adapter-config': file }),
    ).toThrow('field metricQuery not found in type config.DiscoveryRule');
  });
});

describe('prometheusSummary', () => {
  it('says where the targets are served', () => {
    expect(prometheusSummary({ url: 'http://127.0.0.1:9090' }, 'http://127.0.0.1:6443')).toEqual([
      'prometheus: http://127.0.0.1:9090 (default rules); scrape targets: http://127.0.0.1:6443/prometheus/targets',
    ]);
    expect(prometheusSummary(undefined, 'x')).toEqual([]);
  });
});
