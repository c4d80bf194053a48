// metrics.k8s.io/v1beta1 (k8s.io/metrics): PodMetrics and NodeMetrics as metrics-server serves
// them. Computed from kubelet summaries on request, never stored.
import type { KubeObject } from '../meta.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** Quantities: cpu in cores (`250m`, `12345678n`), memory as the working set (`5120Ki`). */
export interface ResourceUsage {
  cpu: string;
  memory: string;
  [resource: string]: string;
}

export interface ContainerMetrics {
  name: string;
  usage: ResourceUsage;
}

/** One pod's containers, measured at `timestamp` over `window` (a Go duration, `15s`). */
export interface PodMetrics extends KubeObject {
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

/** One node, measured at `timestamp` over `window`. */
export interface NodeMetrics extends KubeObject {
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}
