import { describe, expect, it } from 'vitest';
import type { ServerResource } from '../../client/client.js';
import { parseLabelSelector } from '../../lib/labels.js';
import { MetricsQuery, QueryBuildError } from './metrics-query.js';
import { ResourceConverter } from './resource-converter.js';
import { RestMapper } from './rest-mapper.js';

const served = (group: string, kind: string, resource: string): ServerResource => ({
  ref: { group, version: 'v1', resource },
  kind,
  namespaced: true,
  verbs: [],
});
const MAPPER = new RestMapper([
  served('', 'Namespace', 'namespaces'),
  served('group', 'Resource', 'resources'),
]);
// Upstream's test converter: the resource's label is "resource", the namespace's "namespaces".
const CONVERTER = new ResourceConverter(
  undefined,
  { resource: { group: 'group', resource: 'resource' }, namespaces: { resource: 'namespace' } },
  () => MAPPER,
);
const RESOURCE = { group: 'group', resource: 'resources' };
const query = (t: string, namespaced = true) => new MetricsQuery(t, CONVERTER, namespaced);

type BuildRow = [string, string[], string | undefined, string, string[], string];
type ExternalRow = [string, boolean, string, string, string];

describe('MetricsQuery.build (upstream TestBuildSelector)', () => {
  it.each(
    (
      [
        ['series <<.Series>>', [], undefined, '', [], 'series foo'],
        ['<<.LabelMatchers>>', ['bar', 'baz'], undefined, '', [], 'resource=~"bar|baz"'],
        ['<<.LabelMatchers>>', ['bar'], undefined, '', [], 'resource="bar"'],
        [
          '<<.LabelMatchers>>',
          ['bar'],
          'metric1=value1',
          '',
          [],
          'metric1="value1",resource="bar"',
        ],
        ['<<index .LabelValuesByName "resource">>', ['bar'], undefined, '', [], 'bar'],
        ['<<index .LabelValuesByName "resource">>', ['bar', 'baz'], undefined, '', [], 'bar|baz'],
        [
          '<<index .LabelValuesByName "namespaces">> <<index .LabelValuesByName "resource">>',
          ['bar', 'baz'],
          undefined,
          'default',
          [],
          'default bar|baz',
        ],
        [
          '<<.LabelMatchers>>',
          ['bar'],
          undefined,
          'default',
          [],
          'namespaces="default",resource="bar"',
        ],
        ['<<.GroupBy>>', [], undefined, '', [], 'resource'],
        ['<<.GroupBy>>', [], undefined, '', ['extra', 'groups'], 'resource,extra,groups'],
        ['<<.GroupBySlice>>', [], undefined, '', [], '[resource]'],
        ['<<.GroupBySlice>>', [], undefined, '', ['extra', 'groups'], '[resource extra groups]'],
      ] as BuildRow[]
    ).map(([t, names, selector, namespace, extraGroupBy, want]) => ({
      t,
      names,
      selector,
      namespace,
      extraGroupBy,
      want,
    })),
  )(
    '$t with $names, selector $selector, namespace $namespace',
    ({ t, names, selector, namespace, extraGroupBy, want }) => {
      const q = query(t).build({
        series: 'foo',
        resource: RESOURCE,
        namespace,
        names,
        extraGroupBy,
        ...(selector ? { metricSelector: parseLabelSelector(selector) } : {}),
      });
      expect(q).toBe(want);
    },
  );
});

describe('MetricsQuery.buildExternal (upstream TestBuildExternalSelector)', () => {
  it.each(
    (
      [
        ['series <<.Series>>', true, '', '', 'series foo'],
        [
          '<<index .LabelValuesByName "namespaces">> <<.GroupBySlice>>',
          true,
          'default',
          '',
          'default []',
        ],
        ['<<index .LabelValuesByName "namespaces">>|', false, 'default', '', '|'],
        ['<<.LabelMatchers>>', true, '', 'foo=bar', 'foo="bar"'],
        ['<<.LabelMatchers>>', true, 'default', 'foo=bar', 'foo="bar",namespaces="default"'],
        ['<<.LabelMatchers>>', false, 'default', 'foo=bar', 'foo="bar"'],
      ] as ExternalRow[]
    ).map(([t, namespaced, namespace, selector, want]) => ({
      t,
      namespaced,
      namespace,
      selector,
      want,
    })),
  )(
    '$t (namespaced $namespaced) in $namespace with $selector',
    ({ t, namespaced, namespace, selector, want }) => {
      const q = query(t, namespaced).buildExternal({
        series: 'foo',
        namespace,
        ...(selector ? { metricSelector: parseLabelSelector(selector) } : {}),
      });
      expect(q).toBe(want);
    },
  );
});

describe('label selector operators as PromQL matchers', () => {
  it.each([
    ['a=x', 'a="x"'],
    ['a==x', 'a="x"'],
    ['a!=x', 'a!="x"'],
    ['a in (x)', 'a=~"x"'],
    ['a in (y,x)', 'a=~"x|y"'],
    ['a notin (x)', 'a!~"x"'],
    ['a notin (x,y)', 'a!~"x|y"'],
    ['a', 'a!=""'],
    ['!a', 'a=""'],
    ['a=x,b!=y', 'a="x",b!="y"'],
  ])('%s becomes %s', (selector, want) => {
    const q = query('<<.LabelMatchers>>').buildExternal({
      series: 's',
      namespace: '',
      metricSelector: parseLabelSelector(selector),
    });
    expect(q).toBe(want);
  });

  it.each([['a>1'], ['a<1']])('refuses %s: Prometheus has no such matcher', (selector) => {
    const build = () =>
      query('<<.LabelMatchers>>').buildExternal({
        series: 's',
        namespace: '',
        metricSelector: parseLabelSelector(selector),
      });
    expect(build).toThrow(new QueryBuildError('operator not supported by prometheus'));
  });

  it('refuses a template that produces nothing', () => {
    expect(() => query('').buildExternal({ series: 's', namespace: '' })).toThrow(
      'empty query produced by metrics query template',
    );
  });

  it('fails for a resource neither an override nor a template names', () => {
    expect(() =>
      query('<<.LabelMatchers>>').build({
        series: 's',
        resource: { group: '', resource: 'pods' },
        namespace: '',
        names: ['a'],
      }),
    ).toThrow('no generic resource label form specified for this metric');
  });
});
