// One discovery rule compiled (prometheus-adapter pkg/naming metric_namer.go): its series query,
// name filters, API name (`matches`/`as` with Go's $1 / ${name} expansion), resources and query.
import type { DiscoveryRule, RegexFilter } from './config.js';
import { MetricsQuery } from './metrics-query.js';
import { ResourceConverter } from './resource-converter.js';
import type { RestMapper } from './rest-mapper.js';

/** A rule that cannot be compiled; the message names the rule's series query. */
export class RuleError extends Error {
  readonly code = 'RuleError';
}

/** Go regexp syntax in JavaScript: named groups are `(?P<n>...)` in Go, `(?<n>...)` here. */
export function goRegExp(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, '(?<'));
}

function filterMatcher(f: RegexFilter, rule: DiscoveryRule): (name: string) => boolean {
  if (f.is && f.isNot) {
    throw new RuleError(
      `cannot have both an \`is\` (${JSON.stringify(f.is)}) and \`isNot\` (${JSON.stringify(f.isNot)}) expression in a single filter`,
    );
  }
  if (!f.is && !f.isNot) {
    throw new RuleError('must have either an `is` or `isNot` expression in a filter');
  }
  const positive = Boolean(f.is);
  let regex: RegExp;
  try {
    regex = goRegExp(f.is || f.isNot || '');
  } catch (e) {
    throw new RuleError(
      `unable to generate series name filter associated with series query ${JSON.stringify(rule.seriesQuery)}: ${(e as Error).message}`,
    );
  }
  return (name) => regex.test(name) === positive;
}

/**
 * Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest run
 * of letters, digits and `_`, and an unknown group expands to nothing.
 */
export function expandGo(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (whole, _all, braced?: string, bare?: string) => {
      if (whole === '$$') {
        return '$';
      }
      const ref = braced ?? bare ?? '';
      if (/^\d+$/.test(ref)) {
        return match[Number(ref)] ?? '';
      }
      return match.groups?.[ref] ?? '';
    },
  );
}

function converterOf(rule: DiscoveryRule, mapper: () => RestMapper): ResourceConverter {
  const { template, overrides } = rule.resources ?? {};
  try {
    return new ResourceConverter(template, overrides, mapper);
  } catch (e) {
    throw new RuleError((e as Error).message, { cause: e });
  }
}

function queryOf(rule: DiscoveryRule, converter: ResourceConverter): MetricsQuery {
  try {
    return new MetricsQuery(rule.metricsQuery ?? '', converter, rule.resources?.namespaced ?? true);
  } catch (e) {
    throw new RuleError(
      `unable to construct metrics query associated with series query ${JSON.stringify(rule.seriesQuery)}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

function groupCount(regex: RegExp): number {
  return (new RegExp(`${regex.source}|`).exec('')?.length ?? 1) - 1;
}

/** Everything one rule knows: which series it takes, how it names them, how it queries them. */
export class MetricNamer {
  readonly seriesQuery: string;
  readonly converter: ResourceConverter;
  readonly query: MetricsQuery;
  private readonly filters: ((name: string) => boolean)[];
  private readonly nameMatches: RegExp;
  private readonly nameAs: string;

  /** Compiles a rule (NamersFromConfig); throws RuleError with the adapter's wording. */
  constructor(rule: DiscoveryRule, mapper: () => RestMapper) {
    this.seriesQuery = rule.seriesQuery;
    this.converter = converterOf(rule, mapper);
    this.query = queryOf(rule, this.converter);
    this.filters = (rule.seriesFilters ?? []).map((f) => filterMatcher(f, rule));
    const matches = rule.name?.matches ?? '';
    if (matches !== '') {
      this.filters.push(filterMatcher({ is: matches }, rule));
    }
    this.nameMatches = matches === '' ? /.*/ : goRegExp(matches);
    this.nameAs = rule.name?.as || this.defaultAs(matches, JSON.stringify(rule.seriesQuery));
  }

  private defaultAs(matches: string, sq: string): string {
    switch (groupCount(this.nameMatches)) {
      case 0:
        return '$0';
      case 1:
        return '$1';
      default:
        throw new RuleError(
          `must specify an 'as' value for name matcher ${JSON.stringify(matches)} associated with series query ${sq}`,
        );
    }
  }

  /** The series whose names pass every filter (FilterSeries). */
  filterSeries<T extends { __name__?: string }>(series: T[]): T[] {
    return series.filter((s) => this.filters.every((f) => f(s.__name__ ?? '')));
  }

  /** The API name of a Prometheus series name (MetricNameForSeries). */
  metricNameForSeries(seriesName: string): string {
    this.nameMatches.lastIndex = 0;
    const m = this.nameMatches.exec(seriesName);
    if (!m) {
      throw new RuleError(
        `series name ${JSON.stringify(seriesName)} did not match expected pattern ${JSON.stringify(this.nameMatches.source)}`,
      );
    }
    return expandGo(this.nameAs, m);
  }
}
