// Fetches what one HPA metric needs (upstream's MetricsClient): pod resource usage from
// metrics.k8s.io through the Client, so a real metrics-server serves it just as well.
// Custom and external metrics APIs are not served yet: those metrics fail as Kubernetes reports
// them when no adapter is registered.
import type { MetricData, MetricFetch, PodMetrics } from '../../autoscaling/index.js';
import type { Client, ResourceRef } from '../../client/client.js';

export const PODMETRICS: ResourceRef = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resource: 'pods',
};

/** What the HPA controller reads metrics through. */
export interface MetricsClient {
  fetch(plan: MetricFetch, namespace: string, selector: string): Promise<MetricData>;
}

/** Reads metrics.k8s.io with a Client; custom/external metrics have no API yet. */
export class ApiMetricsClient implements MetricsClient {
  constructor(private readonly client: Client) {}

  async fetch(plan: MetricFetch, namespace: string, selector: string): Promise<MetricData> {
    switch (plan.kind) {
      case 'resource':
        return this.podMetrics(namespace, selector);
      case 'pods':
      case 'object':
        return { error: 'no custom metrics API (custom.metrics.k8s.io) registered' };
      case 'external':
        return { error: 'no external metrics API (external.metrics.k8s.io) registered' };
      case 'none':
        return [];
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
}
