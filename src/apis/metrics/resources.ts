// The metrics.k8s.io/v1beta1 resources as discovery and routing see them: `pods` (PodMetrics,
// namespaced) and `nodes` (NodeMetrics), get and list only. A provider answers them; see
// src/api/handlers/computed.ts.
import type { ResourceType } from '../resource-type.js';
import { METRICS_GROUP, METRICS_VERSION } from './types.js';

function metricsResource(resource: string, kind: string, namespaced: boolean): ResourceType {
  return {
    group: METRICS_GROUP,
    resource,
    kind,
    // metrics-server names no singular form; clients guess it from the kind (`podmetrics`).
    singular: '',
    namespaced,
    shortNames: [],
    categories: [],
    versions: [{ version: METRICS_VERSION }],
    storageVersion: METRICS_VERSION,
    subresources: [],
    hasGeneration: false,
    strategy: {},
    verbs: ['get', 'list'],
  };
}

/** metrics.k8s.io/v1beta1 nodes (NodeMetrics) and pods (PodMetrics), as metrics-server lists them. */
export function metricsResources(): ResourceType[] {
  return [
    metricsResource('nodes', 'NodeMetrics', false),
    metricsResource('pods', 'PodMetrics', true),
  ];
}
