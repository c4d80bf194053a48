// Fetches what one HPA metric needs (upstream's MetricsClient): pod resource usage from
// metrics.k8s.io, custom metrics from custom.metrics.k8s.io (the preferred of v1beta2 and
// v1beta1, as k8s.io/metrics' custom_metrics client picks it) and external metrics from
// external.metrics.k8s.io, all through the Client, so a real cluster's adapters serve them too.
import type {
  ExternalMetricValue,
  MetricData,
  MetricFetch,
  MetricValue,
  PodMetrics,
} from '../../autoscaling/index.js';
import type { CrossVersionObjectReference } from '../../apis/autoscaling/types.js';
import type { LabelSelector } from '../../apis/meta.js';
import type { Client, PathTarget, ResourceRef } from '../../client/client.js';
import { ApiError } from '../../lib/errors.js';
import { labelSelectorToString } from '../../lib/labels.js';

export const PODMETRICS: ResourceRef = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resource: 'pods',
};

const CUSTOM_GROUP = 'custom.metrics.k8s.io';
const EXTERNAL_GROUP = 'external.metrics.k8s.io';
const CUSTOM_VERSIONS = ['v1beta2', 'v1beta1'];

/** What the HPA controller reads metrics through. */
export interface MetricsClient {
  fetch(plan: MetricFetch, namespace: string, selector: string): Promise<MetricData>;
}

/** A 404 for the path itself (group/version not served), not for a metric. */
function isPathNotFound(e: unknown): boolean {
  return (
    e instanceof ApiError &&
    e.code === 404 &&
    e.message.startsWith('the server could not find the requested resource')
  );
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A v1beta1 MetricValue in the v1beta2 shape the library reads (metricName -> metric.name). */
function toV1beta2(item: Record<string, unknown>): MetricValue {
  if (item.metric !== undefined) {
    return item as unknown as MetricValue;
  }
  const selector = item.selector as LabelSelector | null | undefined;
  return {
    describedObject: item.describedObject as MetricValue['describedObject'],
    metric: { name: text(item.metricName), ...(selector ? { selector } : {}) },
    timestamp: text(item.timestamp),
    ...(typeof item.window === 'number' ? { windowSeconds: item.window } : {}),
    value: item.value as MetricValue['value'],
  };
}

function selectorQuery(
  name: 'labelSelector' | 'metricLabelSelector',
  text: string,
): Record<string, string> {
  return text ? { [name]: text } : {};
}

/** Reads metrics.k8s.io, custom.metrics.k8s.io and external.metrics.k8s.io with a Client. */
export class ApiMetricsClient implements MetricsClient {
  private customVersion: string | undefined;
  private kinds: Map<string, string> | undefined;

  constructor(private readonly client: Client) {}

  async fetch(plan: MetricFetch, namespace: string, selector: string): Promise<MetricData> {
    try {
      switch (plan.kind) {
        case 'resource':
          return await this.podMetrics(namespace, selector);
        case 'pods':
          return await this.podsMetric(namespace, selector, plan.metricName, plan.metricSelector);
        case 'object':
          return await this.objectMetric(namespace, plan);
        case 'external':
          return await this.externalMetric(namespace, plan.metricName, plan.metricSelector);
        case 'none':
          return [];
      }
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  private async podMetrics(namespace: string, selector: string): Promise<MetricData> {
    try {
      const list = await this.client.list(PODMETRICS, { namespace, labelSelector: selector });
      const items = list.items as unknown as PodMetrics[];
      if (items.length === 0) {
        return { error: 'no metrics returned from resource metrics API' };
      }
      return items;
    } catch (e) {
      return {
        error: `unable to fetch metrics from resource metrics API: ${(e as Error).message}`,
      };
    }
  }

  /** GETs a custom metrics path in the preferred served version; MetricValues, v1beta2-shaped. */
  private async custom(
    resource: string,
    target: PathTarget,
    query: Record<string, string>,
  ): Promise<MetricValue[]> {
    const versions = this.customVersion ? [this.customVersion] : CUSTOM_VERSIONS;
    for (const version of versions) {
      try {
        const ref = { group: CUSTOM_GROUP, version, resource };
        const body = (await this.client.getSubresource(ref, target, query)) as {
          items?: Record<string, unknown>[];
        };
        this.customVersion = version;
        return (body.items ?? []).map(toV1beta2);
      } catch (e) {
        if (!isPathNotFound(e)) {
          throw e;
        }
      }
    }
    this.customVersion = undefined;
    throw new Error(`no custom metrics API (${CUSTOM_GROUP}) registered`);
  }

  private async podsMetric(
    namespace: string,
    selector: string,
    metricName: string,
    metricSelector: LabelSelector | undefined,
  ): Promise<MetricData> {
    return this.custom(
      'pods',
      { namespace, name: '*', subresource: metricName },
      {
        ...selectorQuery('labelSelector', selector),
        ...selectorQuery('metricLabelSelector', labelSelectorToString(metricSelector ?? null)),
      },
    );
  }

  /** The qualified resource of a kind (`services`, `deployments.apps`), as a RESTMapper maps it. */
  private async resourceForKind(group: string, kind: string): Promise<string> {
    const key = `${kind}.${group}`;
    for (const fresh of [false, true]) {
      if (!this.kinds || fresh) {
        const all = await this.client.serverResources();
        this.kinds = new Map(
          all.map((r) => [
            `${r.kind}.${r.ref.group}`,
            r.ref.group ? `${r.ref.resource}.${r.ref.group}` : r.ref.resource,
          ]),
        );
      }
      const found = this.kinds.get(key);
      if (found) {
        return found;
      }
    }
    const gk = group ? `${kind}.${group}` : kind;
    throw new Error(
      `unable to map kind ${gk} to resource: no matches for kind "${kind}" in group "${group}"`,
    );
  }

  private async objectMetric(
    namespace: string,
    plan: {
      describedObject: CrossVersionObjectReference;
      metricName: string;
      metricSelector?: LabelSelector;
    },
  ): Promise<MetricData> {
    const ref = plan.describedObject;
    const apiVersion = ref.apiVersion ?? '';
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
    const query = selectorQuery(
      'metricLabelSelector',
      labelSelectorToString(plan.metricSelector ?? null),
    );
    // Metrics of a namespace are read at /namespaces/<the HPA's namespace>/metrics/<metric>.
    const items =
      ref.kind === 'Namespace' && group === ''
        ? await this.custom('metrics', { namespace, name: plan.metricName }, query)
        : await this.custom(
            await this.resourceForKind(group, ref.kind),
            { namespace, name: ref.name, subresource: plan.metricName },
            query,
          );
    if (items.length !== 1) {
      throw new Error(
        `the custom metrics API server returned ${items.length} results when we asked for exactly one`,
      );
    }
    return items[0] as MetricValue;
  }

  private async externalMetric(
    namespace: string,
    metricName: string,
    metricSelector: LabelSelector | undefined,
  ): Promise<MetricData> {
    const ref = { group: EXTERNAL_GROUP, version: 'v1beta1', resource: metricName };
    const query = selectorQuery('labelSelector', labelSelectorToString(metricSelector ?? null));
    const body = (await this.client.getSubresource(ref, { namespace }, query)) as {
      items?: ExternalMetricValue[];
    };
    return body.items ?? [];
  }
}
