// metrics.k8s.io nodes (metrics-server pkg/api/node.go): the nodes the request selects, each with
// its stored metrics; nodes without metrics yet are left out of lists.
import type { NodeMetrics } from '../apis/metrics/types.js';
import { METRICS_GROUP } from '../apis/metrics/types.js';
import { NODES } from '../client/resources.js';
import { isNotFound, notFound } from '../lib/errors.js';
import { matchesFields, parseFieldSelector } from '../lib/fields.js';
import { byNamespaceAndName } from './pod-metrics.js';
import type { MetricsListOptions, MetricsResourceDeps } from './pod-metrics.js';

/** Serves NodeMetrics (cluster-scoped). */
export class NodeMetricsResource {
  constructor(private readonly deps: MetricsResourceDeps) {}

  async list(_namespace: string, opts: MetricsListOptions = {}): Promise<NodeMetrics[]> {
    const fields = parseFieldSelector(opts.fieldSelector ?? '');
    const nodes = await this.deps.client.list(
      NODES,
      opts.labelSelector ? { labelSelector: opts.labelSelector } : {},
    );
    const now = this.deps.now();
    return nodes.items
      .filter((node) =>
        matchesFields(fields, (f) => (f === 'metadata.name' ? node.metadata.name : undefined)),
      )
      .flatMap((node) => this.deps.storage.nodeMetrics(node, now) ?? [])
      .sort(byNamespaceAndName);
  }

  async get(_namespace: string, name: string): Promise<NodeMetrics> {
    const node = await this.deps.client.get(NODES, '', name).catch((e: unknown) => {
      // metrics-server's node lister names the resource in the singular.
      throw isNotFound(e) ? notFound({ group: '', resource: 'node' }, name) : e;
    });
    const metrics = this.deps.storage.nodeMetrics(node, this.deps.now());
    if (!metrics) {
      throw notFound({ group: METRICS_GROUP, resource: 'nodemetrics' }, name);
    }
    return metrics;
  }
}
