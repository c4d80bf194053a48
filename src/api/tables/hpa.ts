// Table printer for autoscaling/v2 HorizontalPodAutoscalers, including the 1.30+ TARGETS text
// (`cpu: 72%/50%`, `<unknown>/500m (avg)`, `+ N more...`) built from spec.metrics and currentMetrics.
import type { KubeObject } from '../../apis/meta.js';
import { age, ageColumn, column, nameColumn, nameOf, printer } from './common.js';
import { formatQuantity } from './quantity.js';

interface MetricTarget {
  type?: string;
  value?: unknown;
  averageValue?: unknown;
  averageUtilization?: number;
}

interface MetricValueStatus {
  value?: unknown;
  averageValue?: unknown;
  averageUtilization?: number;
}

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: MetricTarget };
  containerResource?: { name?: string; container?: string; target?: MetricTarget };
  pods?: { target?: MetricTarget };
  object?: { target?: MetricTarget };
  external?: { target?: MetricTarget };
}

interface MetricStatus {
  resource?: { current?: MetricValueStatus };
  containerResource?: { current?: MetricValueStatus };
  pods?: { current?: MetricValueStatus };
  object?: { current?: MetricValueStatus };
  external?: { current?: MetricValueStatus };
}

interface HorizontalPodAutoscaler extends KubeObject {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: MetricSpec[];
  };
  status?: { currentReplicas?: number; currentMetrics?: MetricStatus[] };
}

const UNKNOWN = '<unknown>';

interface SourceStatus {
  current?: MetricValueStatus;
}

/**
 * The status entry's `current`, or undefined without a status entry. Go dereferences the
 * quantities inside it unconditionally, so a missing one prints `<nil>`.
 */
function currentOf(status: SourceStatus | undefined): MetricValueStatus | undefined {
  return status ? (status.current ?? {}) : undefined;
}

/** Resource and ContainerResource metrics: `cpu: 72%/50%` or `memory: 250Mi/500Mi`. */
function resourceTarget(
  source: { name?: string; target?: MetricTarget } | undefined,
  status: SourceStatus | undefined,
): string {
  const name = source?.name ?? '';
  const target = source?.target ?? {};
  const current = currentOf(status);
  if (target.averageValue != null) {
    const now = current ? formatQuantity(current.averageValue) : UNKNOWN;
    return `${name}: ${now}/${formatQuantity(target.averageValue)}`;
  }
  const now = current?.averageUtilization != null ? `${current.averageUtilization}%` : UNKNOWN;
  const want = target.averageUtilization != null ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${want}`;
}

/** Pods metrics: always an average value. */
function podsTarget(
  source: { target?: MetricTarget } | undefined,
  status: SourceStatus | undefined,
): string {
  const current = currentOf(status);
  const now = current ? formatQuantity(current.averageValue) : UNKNOWN;
  return `${now}/${formatQuantity(source?.target?.averageValue)}`;
}

/** Object and External metrics: a value, or an average value marked `(avg)`. */
function valueTarget(
  source: { target?: MetricTarget } | undefined,
  status: SourceStatus | undefined,
): string {
  const target = source?.target ?? {};
  const current = currentOf(status);
  if (target.averageValue != null) {
    const now = current?.averageValue != null ? formatQuantity(current.averageValue) : UNKNOWN;
    return `${now}/${formatQuantity(target.averageValue)} (avg)`;
  }
  const now = current ? formatQuantity(current.value) : UNKNOWN;
  return `${now}/${formatQuantity(target.value)}`;
}

// Statuses pair with specs by position, not by metric name.
const FORMATTERS: Record<string, (spec: MetricSpec, status: MetricStatus | undefined) => string> = {
  Resource: (spec, status) => resourceTarget(spec.resource, status?.resource),
  ContainerResource: (spec, status) =>
    resourceTarget(spec.containerResource, status?.containerResource),
  Pods: (spec, status) => podsTarget(spec.pods, status?.pods),
  Object: (spec, status) => valueTarget(spec.object, status?.object),
  External: (spec, status) => valueTarget(spec.external, status?.external),
};

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  const format = FORMATTERS[spec.type ?? ''];
  return format ? format(spec, status) : '<unknown type>';
}

/** The TARGETS cell: the first two metrics, then `+ N more...`; `<none>` without metrics. */
export function formatHPAMetrics(
  specs: MetricSpec[] | undefined,
  statuses: MetricStatus[] | undefined,
): string {
  const list = specs ?? [];
  if (list.length === 0) {
    return '<none>';
  }
  const max = 2;
  const shown = list.slice(0, max).map((spec, i) => formatMetric(spec, statuses?.[i]));
  const text = shown.join(', ');
  return list.length > max ? `${text} + ${list.length - max} more...` : text;
}

function hpaCells(obj: KubeObject, now: Date): unknown[] {
  const hpa = obj as HorizontalPodAutoscaler;
  const spec = hpa.spec ?? {};
  const ref = spec.scaleTargetRef ?? {};
  return [
    nameOf(hpa),
    `${ref.kind ?? ''}/${ref.name ?? ''}`,
    formatHPAMetrics(spec.metrics, hpa.status?.currentMetrics),
    spec.minReplicas == null ? '<unset>' : String(spec.minReplicas),
    spec.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    age(hpa, now),
  ];
}

/** Printer for `horizontalpodautoscalers.autoscaling` (storage version autoscaling/v2). */
export const hpaPrinter = printer(
  [
    nameColumn(),
    column('Reference', 'string', 'The scaled resource, as Kind/name.'),
    column('Targets', 'string', 'Current and target value of each metric.'),
    column('MinPods', 'string', 'Lower limit on the replica count.'),
    column('MaxPods', 'string', 'Upper limit on the replica count.'),
    column('Replicas', 'string', 'Current replica count seen by the autoscaler.'),
    ageColumn(),
  ],
  hpaCells,
);
