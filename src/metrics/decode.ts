// Kubelet summaries to metric points, the way metrics-server read the summary API: CPU is the
// kubelet's usageNanoCores, memory the working set, the time the earlier of the two readings.
import type { KubeletSummary, SummaryCPU, SummaryMemory } from './summary.js';

/** One node's or container's usage at `timestamp`, a rate over `windowMs`. */
export interface MetricsPoint {
  timestamp: Date;
  windowMs: number;
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface ContainerPoint extends MetricsPoint {
  name: string;
}

/** Every node's and pod's points from one scrape; pods keyed `namespace/name`. */
export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  pods: Map<string, ContainerPoint[]>;
}

/** The key of a pod in a batch. */
export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** An empty batch. */
export function emptyBatch(): MetricsBatch {
  return { nodes: new Map(), pods: new Map() };
}

/** A point from CPU and memory readings; undefined until both are there (no rate yet). */
export function pointOf(
  cpu: SummaryCPU | undefined,
  memory: SummaryMemory | undefined,
  windowMs: number,
): MetricsPoint | undefined {
  const cpuNanoCores = cpu?.usageNanoCores;
  const memoryBytes = memory?.workingSetBytes;
  if (cpuNanoCores === undefined || memoryBytes === undefined) {
    return undefined;
  }
  // The earlier reading dates the point, so a point never claims more than it saw.
  const times = [cpu?.time, memory?.time].map((t) => Date.parse(t ?? '')).filter((t) => t > 0);
  if (times.length === 0) {
    return undefined;
  }
  return { timestamp: new Date(Math.min(...times)), windowMs, cpuNanoCores, memoryBytes };
}

/**
 * Adds one node's summary to `batch`. A pod is left out until every one of its containers has
 * a point, as metrics-server leaves out pods with containers it cannot yet rate; a pod listed
 * twice keeps its first entry.
 */
export function addSummary(batch: MetricsBatch, summary: KubeletSummary, windowMs: number): void {
  const node = pointOf(summary.node.cpu, summary.node.memory, windowMs);
  if (node) {
    batch.nodes.set(summary.node.nodeName, node);
  }
  for (const pod of summary.pods) {
    const key = podKey(pod.podRef.namespace, pod.podRef.name);
    if (batch.pods.has(key) || pod.containers.length === 0) {
      continue;
    }
    const points: ContainerPoint[] = [];
    for (const c of pod.containers) {
      const point = pointOf(c.cpu, c.memory, windowMs);
      if (!point) {
        break;
      }
      points.push({ ...point, name: c.name });
    }
    if (points.length === pod.containers.length) {
      batch.pods.set(key, points);
    }
  }
}
