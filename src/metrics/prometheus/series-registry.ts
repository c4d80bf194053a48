// What discovery found, indexed for requests (prometheus-adapter series_registry.go and
// external_series_registry.go): API metric -> the Prometheus series and rule that answer it.
// Replaced whole on each relist, so a request sees one consistent listing.
import type { Logger } from 'pino';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import type { CustomMetricInfo, ExternalMetricInfo, GroupResource } from '../custom/provider.js';
import type { MetricNamer } from './namer.js';
import type { PromLabels, PromSample } from './prom-client.js';
import { isRootScoped } from './resource-converter.js';
import type { RestMapper } from './rest-mapper.js';

interface SeriesInfo {
  seriesName: string;
  namer: MetricNamer;
}

const infoKey = (i: CustomMetricInfo): string =>
  `${i.groupResource.resource}.${i.groupResource.group}|${i.namespaced}|${i.metric}`;

/** One rule's series, as found by its seriesQuery and filtered by its filters. */
export interface RuleSeries {
  namer: MetricNamer;
  series: PromLabels[];
}

/** Custom metrics: (group-resource, namespaced, metric) -> series and rule. */
export class SeriesRegistry {
  private info = new Map<string, SeriesInfo>();
  private metrics: CustomMetricInfo[] = [];

  constructor(
    private readonly mapper: () => RestMapper,
    private readonly log?: Logger,
  ) {}

  /** Replaces the listing (SetSeries). */
  setSeries(found: RuleSeries[]): void {
    const info = new Map<string, SeriesInfo>();
    const metrics = new Map<string, CustomMetricInfo>();
    for (const { namer, series } of found) {
      for (const s of series) {
        const seriesName = s.__name__ ?? '';
        let metric: string;
        try {
          metric = namer.metricNameForSeries(seriesName);
        } catch (e) {
          this.log?.warn({ err: e, series: seriesName }, 'unable to name series, skipping');
          continue;
        }
        const { resources, namespaced } = namer.converter.resourcesForSeries(s);
        for (const groupResource of resources) {
          const i = {
            groupResource,
            namespaced: namespaced && !isRootScoped(groupResource),
            metric,
          };
          info.set(infoKey(i), { seriesName, namer });
          metrics.set(infoKey(i), i);
        }
      }
    }
    this.info = info;
    this.metrics = [...metrics.values()];
  }

  /** Every known metric (ListAllMetrics). */
  listAllMetrics(): CustomMetricInfo[] {
    return this.metrics;
  }

  private lookup(info: CustomMetricInfo): { gr: GroupResource; entry: SeriesInfo } | undefined {
    let gr: GroupResource;
    try {
      gr = this.mapper().resourceFor(info.groupResource);
    } catch {
      return undefined;
    }
    const entry = this.info.get(infoKey({ ...info, groupResource: gr }));
    return entry ? { gr, entry } : undefined;
  }

  /** The PromQL for `names` of the metric, or undefined when it is not known (QueryForMetric). */
  queryForMetric(
    info: CustomMetricInfo,
    namespace: string,
    metricSelector: LabelSelectorMatcher | undefined,
    names: string[],
  ): string | undefined {
    const found = names.length > 0 ? this.lookup(info) : undefined;
    if (!found) {
      return undefined;
    }
    try {
      return found.entry.namer.query.build({
        series: found.entry.seriesName,
        resource: found.gr,
        namespace,
        metricSelector,
        names,
      });
    } catch (e) {
      this.log?.error({ err: e, metric: info.metric }, 'unable to construct query for metric');
      return undefined;
    }
  }

  /** Object name -> value, by the resource's label on each sample (MatchValuesToNames). */
  matchValuesToNames(
    info: CustomMetricInfo,
    vector: PromSample[],
  ): Map<string, number> | undefined {
    const found = this.lookup(info);
    if (!found) {
      return undefined;
    }
    let label: string;
    try {
      label = found.entry.namer.converter.labelForResource(found.gr);
    } catch {
      return undefined;
    }
    return new Map(vector.map((s) => [s.metric[label] ?? '', s.value]));
  }
}

/** External metrics: metric name -> series and rule. */
export class ExternalSeriesRegistry {
  private info = new Map<string, SeriesInfo>();

  constructor(private readonly log?: Logger) {}

  /** Replaces the listing (filterAndStoreMetrics). */
  setSeries(found: RuleSeries[]): void {
    const info = new Map<string, SeriesInfo>();
    for (const { namer, series } of found) {
      for (const s of series) {
        const seriesName = s.__name__ ?? '';
        try {
          info.set(namer.metricNameForSeries(seriesName), { seriesName, namer });
        } catch (e) {
          this.log?.warn({ err: e, series: seriesName }, 'unable to name series, skipping');
        }
      }
    }
    this.info = info;
  }

  /** Every known external metric. */
  listAllMetrics(): ExternalMetricInfo[] {
    return [...this.info.keys()].map((metric) => ({ metric }));
  }

  /** The PromQL for the metric, or undefined when it is not known; throws when it cannot build. */
  queryForMetric(
    namespace: string,
    metric: string,
    metricSelector: LabelSelectorMatcher | undefined,
  ): string | undefined {
    const entry = this.info.get(metric);
    return entry?.namer.query.buildExternal({
      series: entry.seriesName,
      namespace,
      metricSelector,
    });
  }
}
