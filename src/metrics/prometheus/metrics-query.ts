// A rule's `metricsQuery` (prometheus-adapter pkg/naming metrics_query.go): the template filled
// with .Series, .LabelMatchers, .LabelValuesByName, .GroupBy and .GroupBySlice for one request.
import type { LabelRequirement, LabelSelectorMatcher } from '../../lib/labels.js';
import type { GroupResource } from '../custom/provider.js';
import { GoTemplate } from './go-template.js';
import { NAMESPACES } from './resource-converter.js';
import type { ResourceConverter } from './resource-converter.js';

/** A request the adapter cannot turn into PromQL; the message is the adapter's. */
export class QueryBuildError extends Error {
  readonly code = 'QueryBuildError';
}

const quote = (v: string): string => JSON.stringify(v);
const eq = (l: string, v: string) => `${l}=${quote(v)}`;
const neq = (l: string, v: string) => `${l}!=${quote(v)}`;
const re = (l: string, v: string) => `${l}=~${quote(v)}`;
const nre = (l: string, v: string) => `${l}!~${quote(v)}`;

type Matcher = (label: string, value: string) => string;

// selectMatcher/selectTargetValue: label selector operators as PromQL matchers. Several values
// become a regex alternation, and a single value passes through as written (even to =~).
function matcherFor(req: LabelRequirement): string {
  const { key, operator, values } = req;
  if (key === '') {
    throw new QueryBuildError('label not specified');
  }
  if (operator === 'gt' || operator === 'lt') {
    throw new QueryBuildError('operator not supported by prometheus');
  }
  const valued = operator !== 'exists' && operator !== '!';
  if (values.length === 0) {
    if (valued) {
      throw new QueryBuildError('operator requires values');
    }
    return (operator === 'exists' ? neq : eq)(key, '');
  }
  if (!valued) {
    throw new QueryBuildError('operator does not support values');
  }
  const sorted = [...values].sort();
  const negative = operator === '!=' || operator === 'notin';
  let m: Matcher;
  if (sorted.length === 1) {
    m = { '=': eq, '==': eq, '!=': neq, in: re, notin: nre }[operator];
  } else {
    m = negative ? nre : re;
  }
  return m(key, sorted.join('|'));
}

interface Part {
  expr: string;
  label: string;
  values: string;
}

function selectorParts(sel: LabelSelectorMatcher | undefined): Part[] {
  return (sel?.requirements ?? []).map((r) => ({
    expr: matcherFor(r),
    label: r.key,
    values: [...r.values].sort().join('|'),
  }));
}

/** One rule's compiled metricsQuery. */
export class MetricsQuery {
  private readonly template: GoTemplate;

  constructor(
    source: string,
    private readonly converter: ResourceConverter,
    private readonly namespaced: boolean,
  ) {
    this.template = GoTemplate.parse(source);
  }

  /** The query for `names` of `resource` (namespace '' when root-scoped). */
  build(opts: {
    series: string;
    resource: GroupResource;
    namespace: string;
    metricSelector?: LabelSelectorMatcher;
    names: string[];
    extraGroupBy?: string[];
  }): string {
    const parts = selectorParts(opts.metricSelector);
    if (opts.namespace !== '') {
      const label = this.converter.labelForResource(NAMESPACES);
      parts.push({ expr: eq(label, opts.namespace), label, values: opts.namespace });
    }
    const label = this.converter.labelForResource(opts.resource);
    const target = opts.names.join('|');
    parts.push({ expr: (opts.names.length > 1 ? re : eq)(label, target), label, values: target });
    const groupBy = [label, ...(opts.extraGroupBy ?? [])];
    return this.execute(opts.series, parts, groupBy.join(','), groupBy);
  }

  /** The query for an external metric; the namespace applies only to a namespaced rule. */
  buildExternal(opts: {
    series: string;
    namespace: string;
    metricSelector?: LabelSelectorMatcher;
  }): string {
    const parts = selectorParts(opts.metricSelector);
    if (this.namespaced && opts.namespace !== '') {
      const label = this.converter.labelForResource(NAMESPACES);
      parts.push({ expr: eq(label, opts.namespace), label, values: opts.namespace });
    }
    return this.execute(opts.series, parts, '', []);
  }

  private execute(series: string, parts: Part[], groupBy: string, groupBySlice: string[]) {
    const out = this.template.execute({
      Series: series,
      LabelMatchers: parts.map((p) => p.expr).join(','),
      LabelValuesByName: Object.fromEntries(parts.map((p) => [p.label, p.values])),
      GroupBy: groupBy,
      GroupBySlice: groupBySlice,
    });
    if (out === '') {
      throw new QueryBuildError('empty query produced by metrics query template');
    }
    return out;
  }
}
