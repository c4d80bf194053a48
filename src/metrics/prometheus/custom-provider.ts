// custom.metrics.k8s.io from Prometheus (prometheus-adapter pkg/custom-provider provider.go):
// the rule's PromQL for the requested objects, one instant query, values matched back to objects
// by the resource's label. Objects for a selector are listed through the Client.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import { formatTime } from '../../apis/meta.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import {
  metricNotFound,
  metricNotFoundFor,
  metricQuantity,
  objectReference,
} from '../custom/provider.js';
import type {
  CustomMetricInfo,
  CustomMetricValue,
  CustomMetricsProvider,
  NamespacedName,
} from '../custom/provider.js';
import type { PromClient, PromSample } from './prom-client.js';
import type { RestMapper } from './rest-mapper.js';
import type { SeriesRegistry } from './series-registry.js';
import { internal, toLabelSelector } from './values.js';

export interface PrometheusCustomProviderDeps {
  prom: PromClient;
  registry: SeriesRegistry;
  mapper: () => RestMapper;
  client: Client;
  now?: () => Date;
  log?: Logger;
}

/** A CustomMetricsProvider answered by PromQL. */
export class PrometheusCustomProvider implements CustomMetricsProvider {
  constructor(private readonly deps: PrometheusCustomProviderDeps) {}

  listAllMetrics(): CustomMetricInfo[] {
    return this.deps.registry.listAllMetrics();
  }

  async getMetricByName(
    name: NamespacedName,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue> {
    const vector = await this.run(info, name.namespace, metricSelector, [name.name]);
    if (vector.length < 1) {
      throw metricNotFoundFor(info.groupResource, info.metric, name.name);
    }
    const values = this.deps.registry.matchValuesToNames(info, vector);
    if (!values) {
      throw metricNotFound(info.groupResource, info.metric);
    }
    const value = values.get(name.name);
    if (value === undefined) {
      this.deps.log?.warn({ metric: info.metric, name }, 'no result matched the resource name');
      throw metricNotFoundFor(info.groupResource, info.metric, name.name);
    }
    return this.metricFor(value, name, info, metricSelector);
  }

  async getMetricBySelector(
    namespace: string,
    selector: LabelSelectorMatcher,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue[]> {
    const names = await this.objectNames(namespace, selector, info);
    const vector = await this.run(info, namespace, metricSelector, names);
    const values = this.deps.registry.matchValuesToNames(info, vector);
    if (!values) {
      throw metricNotFound(info.groupResource, info.metric);
    }
    return names
      .filter((n) => values.has(n))
      .map((n) => this.metricFor(values.get(n) ?? 0, { namespace, name: n }, info, metricSelector));
  }

  private async run(
    info: CustomMetricInfo,
    namespace: string,
    metricSelector: LabelSelectorMatcher,
    names: string[],
  ): Promise<PromSample[]> {
    const query = this.deps.registry.queryForMetric(info, namespace, metricSelector, names);
    if (query === undefined) {
      throw metricNotFound(info.groupResource, info.metric);
    }
    let result;
    try {
      result = await this.deps.prom.query(query);
    } catch (e) {
      this.deps.log?.error({ err: e, query }, 'unable to fetch metrics from prometheus');
      throw internal('unable to fetch metrics');
    }
    if (result.type !== 'vector') {
      this.deps.log?.error({ query, type: result.type }, 'expected a vector from prometheus');
      throw internal('unable to fetch metrics');
    }
    return result.vector;
  }

  // helpers.ListObjectNames: the objects of the metric's resource that the selector matches.
  private async objectNames(
    namespace: string,
    selector: LabelSelectorMatcher,
    info: CustomMetricInfo,
  ): Promise<string[]> {
    try {
      const m = this.deps.mapper().mappingFor(info.groupResource);
      const list = await this.deps.client.list(
        { group: m.group, version: m.version, resource: m.resource },
        {
          ...(info.namespaced ? { namespace } : {}),
          labelSelector: selector.toString(),
        },
      );
      return list.items.map((o) => o.metadata.name ?? '');
    } catch (e) {
      this.deps.log?.error({ err: e }, 'unable to list matching resource names');
      throw internal('unable to list matching resources');
    }
  }

  private metricFor(
    value: number,
    name: NamespacedName,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): CustomMetricValue {
    const m = this.deps.mapper().mappingFor(info.groupResource);
    const selector = toLabelSelector(metricSelector);
    return {
      describedObject: objectReference(m, name),
      metric: { name: info.metric, ...(selector ? { selector } : {}) },
      // The adapter stamps the time of the answer, not of the sample.
      timestamp: formatTime(this.deps.now?.() ?? new Date()),
      value: metricQuantity(value),
    };
  }
}
