// custom.metrics.k8s.io (v1beta2, v1beta1) and external.metrics.k8s.io (v1beta1) over a provider,
// as kubernetes-sigs/custom-metrics-apiserver serves them: request paths to provider calls,
// MetricValueList / ExternalMetricValueList in each version's JSON shape, discovery from the
// provider's metric list. Used by the API server and by the in-process client alike.
import type { LabelSelector } from '../../apis/meta.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { everythingSelector, parseLabelSelector } from '../../lib/labels.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import type {
  CustomMetricValue,
  CustomMetricsProvider,
  ExternalMetricValue,
  ExternalMetricsProvider,
  GroupResource,
} from './provider.js';
import { groupResourceString } from './provider.js';

export const CUSTOM_METRICS_GROUP = 'custom.metrics.k8s.io';
export const EXTERNAL_METRICS_GROUP = 'external.metrics.k8s.io';
/** Preferred first, as custom-metrics-apiserver registers them. */
export const CUSTOM_METRICS_VERSIONS = ['v1beta2', 'v1beta1'];
export const EXTERNAL_METRICS_VERSIONS = ['v1beta1'];

/** One GET as routed: `[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]` and its query. */
export interface MetricsRequest {
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
}

/** One legacy discovery entry (metav1.APIResource). */
export interface MetricsResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** A metrics API group: discovery entries per version and the answer to one GET. */
export interface MetricsApiGroup {
  group: string;
  versions: string[];
  resources(version: string): MetricsResource[];
  /** Resolves with the response body; rejects with an ApiError. */
  get(req: MetricsRequest): Promise<object>;
}

/** schema.ParseGroupResource: `deployments.apps` -> apps/deployments. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0
    ? { group: '', resource: text }
    : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

function selectorParam(query: URLSearchParams, name: string): LabelSelectorMatcher {
  const text = query.get(name);
  return text ? parseLabelSelector(text) : everythingSelector();
}

/** A MetricValue in a version's JSON (v1beta1: metricName, window; v1beta2: metric, windowSeconds). */
export function versionedMetricValue(v: CustomMetricValue, version: string): object {
  const selector: LabelSelector | null = v.metric.selector ?? null;
  if (version === 'v1beta1') {
    return {
      describedObject: v.describedObject,
      metricName: v.metric.name,
      timestamp: v.timestamp,
      ...(v.windowSeconds !== undefined ? { window: v.windowSeconds } : {}),
      value: v.value,
      selector,
    };
  }
  return {
    describedObject: v.describedObject,
    metric: { name: v.metric.name, selector },
    timestamp: v.timestamp,
    ...(v.windowSeconds !== undefined ? { windowSeconds: v.windowSeconds } : {}),
    value: v.value,
  };
}

function unavailable(group: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', `the ${group} provider is not running`);
}

/** custom.metrics.k8s.io over the provider `provider()` returns (set once startup made it). */
export function customMetricsApi(
  provider: () => CustomMetricsProvider | undefined,
): MetricsApiGroup {
  return {
    group: CUSTOM_METRICS_GROUP,
    versions: CUSTOM_METRICS_VERSIONS,
    resources: () =>
      (provider()?.listAllMetrics() ?? []).map((m) => ({
        name: `${groupResourceString(m.groupResource)}/${m.metric}`,
        singularName: '',
        namespaced: m.namespaced,
        kind: 'MetricValueList',
        verbs: ['get'],
      })),
    async get(req) {
      const p = provider();
      if (!p) {
        throw unavailable(CUSTOM_METRICS_GROUP);
      }
      let { namespace, resource, name, subresource } = req;
      // Metrics describing a namespace: /namespaces/<ns>/metrics/<metric>.
      if (namespace !== '' && resource === 'metrics') {
        [resource, name, subresource, namespace] = ['namespaces', namespace, name, ''];
      }
      if (!name || !subresource) {
        throw badRequest('invalid request path');
      }
      const metricSelector = selectorParam(req.query, 'metricLabelSelector');
      const info = {
        groupResource: parseGroupResource(resource),
        namespaced: namespace !== '',
        metric: subresource,
      };
      const items =
        name === '*'
          ? await p.getMetricBySelector(
              namespace,
              selectorParam(req.query, 'labelSelector'),
              info,
              metricSelector,
            )
          : [await p.getMetricByName({ namespace, name }, info, metricSelector)];
      return {
        kind: 'MetricValueList',
        apiVersion: `${CUSTOM_METRICS_GROUP}/${req.version}`,
        metadata: {},
        items: items.map((v) => versionedMetricValue(v, req.version)),
      };
    },
  };
}

function externalValue(v: ExternalMetricValue): object {
  return {
    metricName: v.metricName,
    metricLabels: v.metricLabels,
    timestamp: v.timestamp,
    ...(v.windowSeconds !== undefined ? { window: v.windowSeconds } : {}),
    value: v.value,
  };
}

/** external.metrics.k8s.io: `/namespaces/<ns>/<metric>?labelSelector=` lists the metric's values. */
export function externalMetricsApi(
  provider: () => ExternalMetricsProvider | undefined,
): MetricsApiGroup {
  return {
    group: EXTERNAL_METRICS_GROUP,
    versions: EXTERNAL_METRICS_VERSIONS,
    resources: () =>
      (provider()?.listAllExternalMetrics() ?? []).map((m) => ({
        name: m.metric,
        singularName: '',
        namespaced: true,
        kind: 'ExternalMetricValueList',
        verbs: ['get'],
      })),
    async get(req) {
      const p = provider();
      if (!p) {
        throw unavailable(EXTERNAL_METRICS_GROUP);
      }
      if (req.name || !req.resource) {
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
      }
      const items = await p.getExternalMetric(
        req.namespace,
        selectorParam(req.query, 'labelSelector'),
        { metric: req.resource },
      );
      return {
        kind: 'ExternalMetricValueList',
        apiVersion: `${EXTERNAL_METRICS_GROUP}/${req.version}`,
        metadata: {},
        items: items.map(externalValue),
      };
    },
  };
}
