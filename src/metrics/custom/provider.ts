// The custom and external metrics provider interfaces (after kubernetes-sigs/custom-metrics-apiserver
// pkg/provider/interfaces.go and errors.go): what serves custom.metrics.k8s.io and
// external.metrics.k8s.io. The built-in scraper and a Prometheus-backed provider implement them.
import type { LabelSelector } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import type { LabelSelectorMatcher } from '../../lib/labels.js';
import { newMilliQuantity } from '../../lib/quantity.js';

/** A resource in a group (`pods` in `""`, `deployments` in `apps`); schema.GroupResource. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** One metric of one group-resource (upstream CustomMetricInfo). */
export interface CustomMetricInfo {
  groupResource: GroupResource;
  namespaced: boolean;
  metric: string;
}

/** One external metric (upstream ExternalMetricInfo). */
export interface ExternalMetricInfo {
  metric: string;
}

/** types.NamespacedName; namespace is '' for a root-scoped object. */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/** The object a metric describes (core/v1 ObjectReference, the fields the API sets). */
export interface DescribedObject {
  kind: string;
  namespace?: string;
  name: string;
  apiVersion: string;
}

/** custom.metrics.k8s.io MetricValue, in its v1beta2 (internal) shape; `value` is a Quantity. */
export interface CustomMetricValue {
  describedObject: DescribedObject;
  metric: { name: string; selector?: LabelSelector };
  /** RFC 3339 */
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue; `value` is a Quantity. */
export interface ExternalMetricValue {
  metricName: string;
  metricLabels: Record<string, string>;
  /** RFC 3339 */
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

/**
 * A source of custom metrics. Methods reject with an ApiError (404 from the helpers below for an
 * unknown metric); the API turns it into a Status. `metricSelector` restricts the metric's own
 * labels (the HPA's `metric.selector`); the object `selector` restricts the described objects.
 * Upstream's context argument is left out: providers bound their own time.
 */
export interface CustomMetricsProvider {
  /** The metric for one object; namespace '' for a root-scoped one. */
  getMetricByName(
    name: NamespacedName,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue>;
  /** The metric for each object of `info.groupResource` that `selector` matches. */
  getMetricBySelector(
    namespace: string,
    selector: LabelSelectorMatcher,
    info: CustomMetricInfo,
    metricSelector: LabelSelectorMatcher,
  ): Promise<CustomMetricValue[]>;
  /** Every metric available now (discovery); must not fail, so keep it cached. */
  listAllMetrics(): CustomMetricInfo[];
}

/** A source of external metrics; namespace may be used or ignored by the implementation. */
export interface ExternalMetricsProvider {
  /** The values of one metric whose labels `metricSelector` matches. */
  getExternalMetric(
    namespace: string,
    metricSelector: LabelSelectorMatcher,
    info: ExternalMetricInfo,
  ): Promise<ExternalMetricValue[]>;
  /** Every external metric available now; must not fail. */
  listAllExternalMetrics(): ExternalMetricInfo[];
}

/** Both halves, as upstream's MetricsProvider. */
export interface MetricsProvider extends CustomMetricsProvider, ExternalMetricsProvider {}

/** schema.GroupResource.String(): `pods`, `deployments.apps`. */
export function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** NewMetricNotFoundError: 404 "the server could not find the metric M for R". */
export function metricNotFound(resource: GroupResource, metric: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `the server could not find the metric ${metric} for ${groupResourceString(resource)}`,
  );
}

/** NewMetricNotFoundForError: 404 "the server could not find the metric M for R name". */
export function metricNotFoundFor(resource: GroupResource, metric: string, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `the server could not find the metric ${metric} for ${groupResourceString(resource)} ${name}`,
  );
}

/** NewMetricNotFoundForSelectorError: 404 "... for R name with selector S". */
export function metricNotFoundForSelector(
  resource: GroupResource,
  metric: string,
  name: string,
  selector: LabelSelectorMatcher,
): ApiError {
  const what = `${metric} for ${groupResourceString(resource)} ${name}`;
  return new ApiError(
    404,
    'NotFound',
    `the server could not find the metric ${what} with selector ${selector.toString()}`,
  );
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * A sample as prometheus-adapter returns it: NewMilliQuantity(int64(value*1000)), DecimalSI
 * (`66m`, `132`, `1500m`); NaN is 0, and values beyond int64 are clamped.
 */
export function metricQuantity(value: number): string {
  if (Number.isNaN(value)) {
    return '0';
  }
  const milli = value * 1000;
  let n: bigint;
  if (!Number.isFinite(milli) || Math.abs(milli) >= 2 ** 63) {
    n = milli > 0 ? INT64_MAX : -INT64_MAX - 1n;
  } else {
    n = BigInt(Math.trunc(milli));
  }
  return newMilliQuantity(n, 'DecimalSI').toString();
}

/** helpers.ReferenceFor: the described object, its apiVersion `group/version` (`/v1` for core). */
export function objectReference(
  kind: { group: string; version: string; kind: string },
  name: NamespacedName,
): DescribedObject {
  return {
    kind: kind.kind,
    ...(name.namespace ? { namespace: name.namespace } : {}),
    name: name.name,
    apiVersion: `${kind.group}/${kind.version}`,
  };
}

const EXPRESSION_OPERATOR: Record<string, string> = {
  in: 'In',
  notin: 'NotIn',
  '!=': 'NotIn',
  exists: 'Exists',
  '!': 'DoesNotExist',
};

/**
 * metav1.ParseToLabelSelector of a parsed selector, as providers put it in `metric.selector`:
 * equalities become matchLabels, the rest matchExpressions; undefined for an empty selector.
 */
export function selectorObject(selector: LabelSelectorMatcher): LabelSelector | undefined {
  if (selector.isEmpty()) {
    return undefined;
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const r of selector.requirements) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels[r.key] = r.values[0] ?? '';
      continue;
    }
    const operator = EXPRESSION_OPERATOR[r.operator] ?? r.operator;
    const values = operator === 'Exists' || operator === 'DoesNotExist' ? [] : [...r.values];
    matchExpressions.push({ key: r.key, operator, ...(values.length ? { values } : {}) });
  }
  return {
    ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
    ...(matchExpressions.length ? { matchExpressions } : {}),
  };
}

/** A configured source of both APIs, as the composition root wires it (built-in or Prometheus). */
export interface MetricsProviders {
  custom: CustomMetricsProvider;
  external: ExternalMetricsProvider;
  /** Runs the provider's loops (scraping, discovery) until the signal aborts. */
  start(signal: AbortSignal): Promise<void>;
}
