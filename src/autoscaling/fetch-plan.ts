// What the controller must fetch for each metric spec, so it stays a thin I/O layer: resource
// metrics of the selected pods, a custom metric per pod or per object, or an external metric.
import { cpuUtilizationMetric } from '../apis/autoscaling/defaults.js';
import type { HorizontalPodAutoscalerSpec, MetricSpec } from '../apis/autoscaling/types.js';
import { DEFAULT_CPU_UTILIZATION } from '../apis/autoscaling/types.js';
import type { MetricFetch } from './types.js';

/** spec.metrics, or the default 80% CPU utilization metric when there is none. */
export function effectiveMetrics(spec: HorizontalPodAutoscalerSpec): MetricSpec[] {
  return spec.metrics && spec.metrics.length > 0
    ? spec.metrics
    : [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
}

const FETCHES: Record<string, (metric: MetricSpec) => MetricFetch | undefined> = {
  Resource: (m) => m.resource && { kind: 'resource', resource: m.resource.name },
  ContainerResource: (m) =>
    m.containerResource && {
      kind: 'resource',
      resource: m.containerResource.name,
      container: m.containerResource.container,
    },
  Pods: (m) =>
    m.pods && {
      kind: 'pods',
      metricName: m.pods.metric.name,
      metricSelector: m.pods.metric.selector,
    },
  Object: (m) =>
    m.object && {
      kind: 'object',
      describedObject: m.object.describedObject,
      metricName: m.object.metric.name,
      metricSelector: m.object.metric.selector,
    },
  External: (m) =>
    m.external && {
      kind: 'external',
      metricName: m.external.metric.name,
      metricSelector: m.external.metric.selector,
    },
};

function fetchFor(metric: MetricSpec): MetricFetch {
  const fetch = Object.prototype.hasOwnProperty.call(FETCHES, metric.type)
    ? FETCHES[metric.type]
    : undefined;
  return fetch?.(metric) ?? { kind: 'none' };
}

/**
 * One fetch per effective metric spec, in order. Resource fetches list PodMetrics with the
 * scale's selector; pods fetches list custom metric values for pods with it; `none` needs no
 * fetch (pass `[]`). Pass each result, or `{error}`, at the same index of metricData.
 */
export function metricFetchPlan(spec: HorizontalPodAutoscalerSpec): MetricFetch[] {
  return effectiveMetrics(spec).map(fetchFor);
}
