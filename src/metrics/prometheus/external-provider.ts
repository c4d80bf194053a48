// external.metrics.k8s.io from Prometheus (prometheus-adapter pkg/external-provider): the external
// rule's PromQL with the HPA's metric selector (and namespace, unless `namespaced: false`); every
// sample of the answer is one value carrying its labels.
import type { Logger } from 'pino';
import { formatTime } from '../../apis/meta.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import { metricNotFound, metricQuantity } from '../custom/provider.js';
import type {
  ExternalMetricInfo,
  ExternalMetricValue,
  ExternalMetricsProvider,
  GroupResource,
} from '../custom/provider.js';
import type { PromClient, QueryResult } from './prom-client.js';
import type { ExternalSeriesRegistry } from './series-registry.js';
import { internal } from './values.js';

export interface PrometheusExternalProviderDeps {
  prom: PromClient;
  registry: ExternalSeriesRegistry;
  log?: Logger;
}

// selectGroupResource: the adapter's not-found message names "namespaces" only for "default".
function notFoundResource(namespace: string): GroupResource {
  return namespace === 'default'
    ? { group: '', resource: 'namespaces' }
    : { group: '', resource: '' };
}

/** The values of an instant query result, as the adapter's MetricConverter gives them. */
export function externalValues(metric: string, result: QueryResult): ExternalMetricValue[] {
  const at = (ms: number): string => formatTime(new Date(ms));
  switch (result.type) {
    case 'vector':
      return result.vector.map((s) => ({
        metricName: metric,
        metricLabels: { ...s.metric },
        timestamp: at(s.timestampMs),
        value: metricQuantity(s.value),
      }));
    case 'scalar':
      return [
        {
          metricName: metric,
          metricLabels: {},
          timestamp: at(result.scalar.timestampMs),
          value: metricQuantity(result.scalar.value),
        },
      ];
    case 'matrix':
    case 'string':
      throw internal('unable to fetch metrics');
  }
}

/** An ExternalMetricsProvider answered by PromQL. */
export class PrometheusExternalProvider implements ExternalMetricsProvider {
  constructor(private readonly deps: PrometheusExternalProviderDeps) {}

  listAllExternalMetrics(): ExternalMetricInfo[] {
    return this.deps.registry.listAllMetrics();
  }

  async getExternalMetric(
    namespace: string,
    metricSelector: LabelSelectorMatcher,
    info: ExternalMetricInfo,
  ): Promise<ExternalMetricValue[]> {
    let query: string | undefined;
    try {
      query = this.deps.registry.queryForMetric(namespace, info.metric, metricSelector);
    } catch (e) {
      this.deps.log?.error({ err: e, metric: info.metric }, 'unable to generate a query');
      throw internal('unable to fetch metrics');
    }
    if (query === undefined) {
      throw metricNotFound(notFoundResource(namespace), info.metric);
    }
    let result: QueryResult;
    try {
      result = await this.deps.prom.query(query);
    } catch (e) {
      this.deps.log?.error({ err: e, query }, 'unable to fetch metrics from prometheus');
      throw internal('unable to fetch metrics');
    }
    return externalValues(info.metric, result);
  }
}
