import { describe, expect, it } from 'vitest';
import { RestMapper } from './rest-mapper.js';
import { MetricNamer, RuleError, expandGo, goRegExp } from './namer.js';
import type { DiscoveryRule } from './config.js';

const MAPPER = new RestMapper([
  { ref: { group: '', version: 'v1', resource: 'pods' }, kind: 'Pod', namespaced: true, verbs: [] },
]);
const namer = (rule: Partial<DiscoveryRule>) =>
  new MetricNamer({ seriesQuery: '{namespace!=""}', metricsQuery: 'x', ...rule }, () => MAPPER);

describe('rule names (name.matches / name.as)', () => {
  it.each([
    [undefined, undefined, 'http_requests_total', 'http_requests_total'],
    ['^(.*)_total$', undefined, 'http_requests_total', 'http_requests'],
    ['^(.*)_total$', '${1}_per_second', 'http_requests_total', 'http_requests_per_second'],
    ['^container_(.*)_seconds_total$', undefined, 'container_cpu_usage_seconds_total', 'cpu_usage'],
    ['_total$', undefined, 'x_total', '_total'], // $0 is the match, not the name
    ['^(?P<base>.*)_count$', '$base', 'hits_count', 'hits'],
    ['^(a)(b)$', '$2-$1', 'ab', 'b-a'],
    ['^(.*)$', 'cheesy_goodness', 'cheddar', 'cheesy_goodness'],
  ])('matches %s as %s: %s -> %s', (matches, as, series, want) => {
    expect(namer({ name: { matches, as } }).metricNameForSeries(series)).toBe(want);
  });

  it('needs `as` when the pattern has several groups', () => {
    expect(() => namer({ name: { matches: '^(a)(b)$' } })).toThrow(
      `must specify an 'as' value for name matcher "^(a)(b)$" associated with series query "{namespace!=\\"\\"}"`,
    );
  });

  it('refuses a series the pattern does not match', () => {
    expect(() => namer({ name: { matches: '^(.*)_total$' } }).metricNameForSeries('up')).toThrow(
      RuleError,
    );
  });
});

describe('series filters', () => {
  const names = (series: string[], rule: Partial<DiscoveryRule>) =>
    namer(rule)
      .filterSeries(series.map((n) => ({ __name__: n })))
      .map((s) => s.__name__);

  it('applies isNot and is filters, and name.matches as one more filter', () => {
    const all = ['a_total', 'a_seconds_total', 'b', 'b_count'];
    expect(names(all, { seriesFilters: [{ isNot: '.*_total$' }] })).toEqual(['b', 'b_count']);
    expect(names(all, { seriesFilters: [{ is: '^a' }] })).toEqual(['a_total', 'a_seconds_total']);
    expect(
      names(all, {
        name: { matches: '^(.*)_total$' },
        seriesFilters: [{ isNot: '_seconds_total' }],
      }),
    ).toEqual(['a_total']);
  });

  it.each([
    [
      { is: 'a', isNot: 'b' },
      'cannot have both an `is` ("a") and `isNot` ("b") expression in a single filter',
    ],
    [{}, 'must have either an `is` or `isNot` expression in a filter'],
  ])('refuses the filter %j', (filter, message) => {
    expect(() => namer({ seriesFilters: [filter] })).toThrow(message);
  });
});

describe('compile errors name the rule', () => {
  it.each([
    [
      { metricsQuery: '<<range .X>><<end>>' },
      /unable to construct metrics query associated with series query/,
    ],
    [
      { resources: { overrides: { pod: { resource: 'widget' } } } },
      /unable to normalize group-resource widget/,
    ],
    [{ resources: { template: 'kube_<<.Group>>' } }, /must include at least `<<.Resource>>`/],
  ])('%j', (rule, message) => {
    expect(() => namer(rule)).toThrow(message);
  });
});

describe('Go regexp helpers', () => {
  it('reads (?P<name>) groups', () => {
    expect(goRegExp('^(?P<x>a)$').exec('a')?.groups?.x).toBe('a');
  });

  it.each([
    ['$1', 'A'],
    ['${1}x', 'Ax'],
    ['$1x', ''],
    ['$$1', '$1'],
    ['${name}', 'B'],
    ['$9', ''],
  ])('expands %s', (template, want) => {
    expect(expandGo(template, /(?<one>A)(?<name>B)/.exec('AB') as RegExpExecArray)).toBe(want);
  });
});
