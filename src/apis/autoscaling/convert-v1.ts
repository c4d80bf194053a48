// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion, as Kubernetes 1.32's
// pkg/apis/autoscaling/v1/conversion.go does it: the CPU utilization target maps to
// targetCPUUtilizationPercentage and everything else rides in round-trip annotations.
import type { KubeObject } from '../meta.js';
import {
  dropRoundTripAnnotations,
  decodeBehavior,
  decodeList,
  encodeBehavior,
  setAnnotations,
} from './annotations.js';
import { cpuUtilizationMetric } from './defaults.js';
import { asArray, asRecord } from './field.js';
import {
  legacyMetricSpecToV2,
  legacyMetricStatusToV2,
  metricSpecToLegacy,
  metricStatusToLegacy,
} from './legacy-metrics.js';
import type {
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  MetricSpec,
  MetricStatus,
} from './types.js';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  DEFAULT_CPU_UTILIZATION,
  KIND,
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  STORAGE_API_VERSION,
} from './types.js';

type Rec = Record<string, unknown>;

const isCpuUtilization = (m: MetricSpec): boolean =>
  m.type === 'Resource' &&
  m.resource?.name === 'cpu' &&
  m.resource.target?.averageUtilization != null;

/** A v1 condition, as encoding/json writes HorizontalPodAutoscalerCondition. */
function conditionOut(c: HorizontalPodAutoscalerCondition): HorizontalPodAutoscalerCondition {
  const out: HorizontalPodAutoscalerCondition = {
    type: c.type,
    status: c.status,
    lastTransitionTime: c.lastTransitionTime ?? null,
  };
  if (c.reason) {
    out.reason = c.reason;
  }
  if (c.message) {
    out.message = c.message;
  }
  return out;
}

function copyCounters(from: Rec, to: Rec): void {
  for (const key of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) {
    if (from[key] !== undefined) {
      to[key] = from[key];
    }
  }
}

function v1Spec(spec: HorizontalPodAutoscalerSpec): Rec {
  const out: Rec = { scaleTargetRef: spec.scaleTargetRef };
  if (spec.minReplicas !== undefined) {
    out.minReplicas = spec.minReplicas;
  }
  out.maxReplicas = spec.maxReplicas;
  const cpu = asArray(spec.metrics).find((m) => isCpuUtilization(m as MetricSpec)) as
    MetricSpec | undefined;
  if (cpu) {
    out.targetCPUUtilizationPercentage = cpu.resource?.target.averageUtilization;
  }
  return out;
}

function v1Status(status: HorizontalPodAutoscalerStatus): Rec {
  const out: Rec = {};
  copyCounters(status as Rec, out);
  out.currentReplicas ??= 0;
  out.desiredReplicas ??= 0;
  // Upstream keeps looping, so the last CPU utilization reading wins.
  for (const m of asArray(status.currentMetrics) as MetricStatus[]) {
    const utilization = m.resource?.current?.averageUtilization;
    if (m.type === 'Resource' && m.resource?.name === 'cpu' && utilization != null) {
      out.currentCPUUtilizationPercentage = utilization;
    }
  }
  return out;
}

/** autoscaling/v2 (storage) -> autoscaling/v1. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const src = structuredClone(obj) as KubeObject & { spec?: HorizontalPodAutoscalerSpec };
  const spec = src.spec ?? ({} as HorizontalPodAutoscalerSpec);
  const status = (asRecord(src.status) ?? {}) as HorizontalPodAutoscalerStatus;
  const annotations = dropRoundTripAnnotations(src.metadata.annotations);
  const others = (asArray(spec.metrics) as MetricSpec[]).filter((m) => !isCpuUtilization(m));
  const current = asArray(status.currentMetrics) as MetricStatus[];
  const conditions = asArray(status.conditions) as HorizontalPodAutoscalerCondition[];
  if (others.length > 0) {
    annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(metricSpecToLegacy));
  }
  if (current.length > 0) {
    annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(current.map(metricStatusToLegacy));
  }
  if (spec.behavior) {
    annotations[BEHAVIOR_ANNOTATION] = encodeBehavior(spec.behavior);
  }
  if (conditions.length > 0) {
    annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map(conditionOut));
  }
  const metadata = { ...src.metadata };
  setAnnotations(metadata, annotations);
  const out: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: KIND,
    metadata,
    spec: v1Spec(spec),
  };
  if (src.status !== undefined) {
    out.status = v1Status(status);
  }
  return out;
}

function v2SpecFromV1(spec: Rec, annotations: Record<string, string>): HorizontalPodAutoscalerSpec {
  const out: HorizontalPodAutoscalerSpec = {
    scaleTargetRef: spec.scaleTargetRef as HorizontalPodAutoscalerSpec['scaleTargetRef'],
    maxReplicas: spec.maxReplicas as number,
  };
  if (spec.minReplicas !== undefined) {
    out.minReplicas = spec.minReplicas as number;
  }
  const cpu = spec.targetCPUUtilizationPercentage;
  const metrics: MetricSpec[] = typeof cpu === 'number' ? [cpuUtilizationMetric(cpu)] : [];
  const others = decodeList(annotations[METRIC_SPECS_ANNOTATION]);
  // The annotation's metrics come first; the CPU target converted from the spec goes last.
  out.metrics = others ? [...others.map(legacyMetricSpecToV2), ...metrics] : metrics;
  const behaviorText = annotations[BEHAVIOR_ANNOTATION];
  const behavior = behaviorText === undefined ? undefined : decodeBehavior(behaviorText);
  if (behavior) {
    out.behavior = behavior;
  }
  // autoscaling/v1 once defaulted CPU in the controller; conversion applies it explicitly.
  if (out.metrics.length === 0) {
    out.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  }
  return out;
}

function v2StatusFromV1(
  statusValue: unknown,
  annotations: Record<string, string>,
): HorizontalPodAutoscalerStatus | undefined {
  const status = asRecord(statusValue);
  const current = decodeList(annotations[METRIC_STATUSES_ANNOTATION]);
  const conditions = decodeList(annotations[CONDITIONS_ANNOTATION]);
  if (!status && !current && !conditions) {
    return undefined;
  }
  const out: Rec = {};
  copyCounters(status ?? {}, out);
  const cpu = status?.currentCPUUtilizationPercentage;
  if (typeof cpu === 'number') {
    out.currentMetrics = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } },
    ];
  }
  if (current) {
    // The annotation carries more (raw values, other metrics) than the v1 field.
    out.currentMetrics = current.map(legacyMetricStatusToV2);
  }
  if (conditions) {
    out.conditions = conditions.map((c) => conditionOut(c as HorizontalPodAutoscalerCondition));
  }
  return out;
}

/** autoscaling/v1 -> autoscaling/v2 (storage). */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const src = structuredClone(obj);
  const annotations = src.metadata.annotations ?? {};
  const spec = v2SpecFromV1(asRecord(src.spec) ?? {}, annotations);
  const status = v2StatusFromV1(src.status, annotations);
  const metadata = { ...src.metadata };
  setAnnotations(metadata, dropRoundTripAnnotations(annotations));
  const out: KubeObject = { apiVersion: STORAGE_API_VERSION, kind: KIND, metadata, spec };
  if (status) {
    out.status = status;
  }
  return out;
}
