// metrics.k8s.io pods (metrics-server pkg/api/pod.go): the Running pods the request selects,
// each with its stored metrics; pods without metrics yet are left out of lists.
import type { KubeObject } from '../apis/meta.js';
import type { PodMetrics } from '../apis/metrics/types.js';
import { METRICS_GROUP } from '../apis/metrics/types.js';
import type { Client } from '../client/client.js';
import { PODS } from '../client/resources.js';
import { notFound } from '../lib/errors.js';
import { matchesFields, parseFieldSelector } from '../lib/fields.js';
import type { MetricsStorage } from './storage.js';

/** metrics-server watches only Running pods' metadata; other pods have no metrics to show. */
const RUNNING = 'status.phase=Running';

export interface MetricsResourceDeps {
  /** Reads the pods and nodes whose metrics are asked for. */
  client: Client;
  storage: MetricsStorage;
  now: () => Date;
}

export interface MetricsListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** The field set metrics-server matches field selectors against: metadata only. */
export function metadataField(obj: KubeObject, field: string): string | undefined {
  switch (field) {
    case 'metadata.name':
      return obj.metadata.name;
    case 'metadata.namespace':
      return obj.metadata.namespace;
    default:
      return undefined;
  }
}

/** Go's string order of `namespace/name`, how metrics-server sorts what it returns. */
export const byNamespaceAndName = (a: KubeObject, b: KubeObject): number => {
  const x = `${a.metadata.namespace ?? ''}\u0000${a.metadata.name ?? ''}`;
  const y = `${b.metadata.namespace ?? ''}\u0000${b.metadata.name ?? ''}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Serves PodMetrics; `namespace` '' lists every namespace. */
export class PodMetricsResource {
  constructor(private readonly deps: MetricsResourceDeps) {}

  async list(namespace: string, opts: MetricsListOptions = {}): Promise<PodMetrics[]> {
    const fields = parseFieldSelector(opts.fieldSelector ?? '');
    const pods = await this.deps.client.list(PODS, {
      namespace,
      fieldSelector: RUNNING,
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    });
    const now = this.deps.now();
    return pods.items
      .filter((pod) => matchesFields(fields, (f) => metadataField(pod, f)))
      .flatMap((pod) => this.deps.storage.podMetrics(pod, now) ?? [])
      .sort(byNamespaceAndName);
  }

  async get(namespace: string, name: string): Promise<PodMetrics> {
    const pod = await this.deps.client.get(PODS, namespace, name);
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') {
      // What metrics-server's Running-pod lister answers for any other pod.
      throw notFound({ group: '', resource: 'pods' }, name);
    }
    const metrics = this.deps.storage.podMetrics(pod, this.deps.now());
    if (!metrics) {
      throw notFound({ group: METRICS_GROUP, resource: 'podmetrics' }, `${namespace}/${name}`);
    }
    return metrics;
  }
}
