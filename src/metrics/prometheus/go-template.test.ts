import { describe, expect, it } from 'vitest';
import { GoTemplate, TemplateError } from './go-template.js';

const DATA = {
  Series: 'http_requests_total',
  LabelMatchers: 'namespace="ns",pod=~"a|b"',
  LabelValuesByName: { namespace: 'ns', pod: 'a|b' },
  GroupBy: 'pod',
  GroupBySlice: ['pod', 'extra'],
};

describe('GoTemplate', () => {
  it.each([
    [
      'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      'sum(http_requests_total{namespace="ns",pod=~"a|b"}) by (pod)',
    ],
    ['<<index .LabelValuesByName "pod">>', 'a|b'],
    ['<<index .LabelValuesByName "missing">>', ''],
    ['<<.LabelValuesByName.namespace>>', 'ns'],
    ['<<.LabelValuesByName.missing>>', '<no value>'],
    ['<<.GroupBySlice>>', '[pod extra]'],
    ['<<index .GroupBySlice 1>>', 'extra'],
    ['<<len .GroupBySlice>>', '2'],
    ['<<.LabelValuesByName>>', 'map[namespace:ns pod:a|b]'],
    ['a  <<- .GroupBy ->>  b', 'apodb'],
    ['no actions at all', 'no actions at all'],
    ['kube_<< .GroupBy >>', 'kube_pod'],
  ])('%s', (source, want) => {
    expect(GoTemplate.parse(source).execute(DATA)).toBe(want);
  });

  it('fails on a field the data does not have, as Go does', () => {
    expect(() => GoTemplate.parse('<<.Resource>>').execute(DATA)).toThrow(
      /can't evaluate field Resource/,
    );
  });

  it('fills a resource label template', () => {
    const t = GoTemplate.parse('kube_<<.Group>>_<<.Resource>>');
    expect(t.execute({ Group: 'apps', Resource: 'deployment' })).toBe('kube_apps_deployment');
  });

  it.each(['<<range .GroupBySlice>>x<<end>>', '<<.Series | printf "%s">>', 'a <<.Series', '<<>>'])(
    'rejects %j when parsing',
    (source) => {
      expect(() => GoTemplate.parse(source)).toThrow(TemplateError);
    },
  );
});
