// The metrics server's memory: the latest scrape's points, and the PodMetrics / NodeMetrics built
// from them for the pods and nodes the API asks about (metrics-server pkg/storage).
import { formatTime } from '../apis/meta.js';
import type { KubeObject, ObjectMeta } from '../apis/meta.js';
import type { NodeMetrics, PodMetrics } from '../apis/metrics/types.js';
import { emptyBatch, podKey } from './decode.js';
import type { MetricsBatch, MetricsPoint } from './decode.js';
import { formatCpu, formatMemory, goDuration } from './format.js';

const usage = (p: MetricsPoint): { cpu: string; memory: string } => ({
  cpu: formatCpu(p.cpuNanoCores),
  memory: formatMemory(p.memoryBytes),
});

/** Metadata as metrics-server sets it: the object's name, namespace and labels, created now. */
function metricsMeta(obj: KubeObject, now: Date): ObjectMeta {
  const { name, namespace, labels } = obj.metadata;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    creationTimestamp: formatTime(now),
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

/** Holds the latest batch; a scrape replaces it whole, so gone pods and nodes drop out. */
export class MetricsStorage {
  private batch: MetricsBatch = emptyBatch();

  /** Replaces what is stored with a new scrape's points. */
  store(batch: MetricsBatch): void {
    this.batch = batch;
  }

  /** The pod's metrics, or undefined while it has none (new, or not on a scraped node). */
  podMetrics(pod: KubeObject, now: Date): PodMetrics | undefined {
    const points = this.batch.pods.get(
      podKey(pod.metadata.namespace ?? '', pod.metadata.name ?? ''),
    );
    if (!points || points.length === 0) {
      return undefined;
    }
    // metrics-server dates a pod by its earliest container point, and takes that one's window.
    const earliest = points.reduce((a, b) => (b.timestamp < a.timestamp ? b : a));
    return {
      metadata: metricsMeta(pod, now),
      timestamp: formatTime(earliest.timestamp),
      window: goDuration(earliest.windowMs),
      containers: points.map((p) => ({ name: p.name, usage: usage(p) })),
    };
  }

  /** The node's metrics, or undefined while it has none. */
  nodeMetrics(node: KubeObject, now: Date): NodeMetrics | undefined {
    const point = this.batch.nodes.get(node.metadata.name ?? '');
    if (!point) {
      return undefined;
    }
    return {
      metadata: metricsMeta(node, now),
      timestamp: formatTime(point.timestamp),
      window: goDuration(point.windowMs),
      usage: usage(point),
    };
  }
}
