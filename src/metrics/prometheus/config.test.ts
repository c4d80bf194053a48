import { describe, expect, it } from 'vitest';
import { configFromYaml, defaultConfig, promDuration } from './config.js';

describe('configFromYaml', () => {
  it('reads the adapter format', () => {
    const cfg = configFromYaml(`
rules:
- seriesQuery: 'total_hit_count{namespace!="",service!=""}'
  resources:
    overrides:
      namespace: {resource: "namespace"}
      service: {resource: "service"}
  name: {matches: "^(.*)$", as: "hits"}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)
externalRules:
- seriesQuery: '{__name__="queue_depth",topic!=""}'
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (name)
  resources: {namespaced: false}
resourceRules:
  window: 5m
`);
    expect(cfg.rules[0]?.resources?.overrides?.service).toEqual({ resource: 'service' });
    expect(cfg.rules[0]?.name).toEqual({ matches: '^(.*)$', as: 'hits' });
    expect(cfg.externalRules?.[0]?.resources?.namespaced).toBe(false);
  });

  it('treats an empty file as no rules', () => {
    expect(configFromYaml('')).toEqual({ rules: [] });
  });

  it.each([
    [
      'rules:\n- seriesQuery: x\n  metricQuery: y\n',
      'field metricQuery not found in type config.DiscoveryRule',
    ],
    [
      'rules:\n- seriesQuery: x\n  name: {match: y}\n',
      'field match not found in type config.NameMapping',
    ],
    ['rule: []\n', 'field rule not found in type config.MetricsDiscoveryConfig'],
    ['rules: {}\n', 'rules: cannot unmarshal object as list'],
    ['rules: [\n', 'unable to parse metrics discovery config'],
  ])('rejects %j strictly, as yaml.UnmarshalStrict', (text, message) => {
    expect(() => configFromYaml(text)).toThrow(message);
  });
});

describe('defaultConfig (config-gen DefaultConfig)', () => {
  it('has the six default rules with the rate window and label prefix', () => {
    const cfg = defaultConfig(120_000, 'kube_');
    expect(cfg.rules).toHaveLength(6);
    expect(cfg.rules[4]).toEqual({
      seriesQuery: '{kube_namespace!="",__name__!~"^container_.*"}',
      seriesFilters: [{ isNot: '.*_seconds_total' }],
      name: { matches: '^(.*)_total$' },
      resources: { template: 'kube_<<.Resource>>' },
      metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
    });
    expect(cfg.rules[0]?.seriesQuery).toBe(
      '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}',
    );
  });

  it('uses a 5m window and no prefix by default', () => {
    expect(defaultConfig().rules[5]?.metricsQuery).toContain('[5m]');
    expect(defaultConfig().rules[3]?.resources?.template).toBe('<<.Resource>>');
  });

  it.each([
    [0, '0s'],
    [500, '500ms'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [86_400_000, '1d'],
  ])('promDuration(%d) is %s', (ms, want) => {
    expect(promDuration(ms)).toBe(want);
  });
});
