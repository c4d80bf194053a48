// autoscaling/v2beta1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion, as
// pkg/apis/autoscaling/v2beta1/conversion.go does it: metrics change shape, behavior rides in
// the behavior annotation.
import type { KubeObject } from '../meta.js';
import {
  decodeBehavior,
  dropRoundTripAnnotations,
  encodeBehavior,
  setAnnotations,
} from './annotations.js';
import { asRecord } from './field.js';
import {
  legacyMetricSpecToV2,
  legacyMetricStatusToV2,
  metricSpecToLegacy,
  metricStatusToLegacy,
} from './legacy-metrics.js';
import type { HorizontalPodAutoscalerBehavior, MetricSpec, MetricStatus } from './types.js';
import { BEHAVIOR_ANNOTATION, KIND, STORAGE_API_VERSION } from './types.js';

type Rec = Record<string, unknown>;
type MetricMapper = (m: unknown) => unknown;

function convertSpec(spec: Rec, mapMetric: MetricMapper): Rec {
  const out: Rec = { scaleTargetRef: spec.scaleTargetRef };
  if (spec.minReplicas !== undefined) {
    out.minReplicas = spec.minReplicas;
  }
  out.maxReplicas = spec.maxReplicas;
  if (Array.isArray(spec.metrics)) {
    out.metrics = spec.metrics.map(mapMetric);
  }
  return out;
}

function convertStatus(status: Rec, mapMetric: MetricMapper): Rec {
  const out: Rec = {};
  for (const key of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) {
    if (status[key] !== undefined) {
      out[key] = status[key];
    }
  }
  if (Array.isArray(status.currentMetrics)) {
    out.currentMetrics = status.currentMetrics.map(mapMetric);
  }
  if (Array.isArray(status.conditions)) {
    out.conditions = status.conditions;
  }
  return out;
}

/** autoscaling/v2beta1 -> autoscaling/v2 (storage). */
export function hpaV2beta1ToV2(obj: KubeObject): KubeObject {
  const src = structuredClone(obj);
  const annotations = src.metadata.annotations ?? {};
  const spec = convertSpec(asRecord(src.spec) ?? {}, legacyMetricSpecToV2);
  const behaviorText = annotations[BEHAVIOR_ANNOTATION];
  const behavior = behaviorText === undefined ? undefined : decodeBehavior(behaviorText);
  if (behavior) {
    spec.behavior = behavior;
  }
  const metadata = { ...src.metadata };
  setAnnotations(metadata, dropRoundTripAnnotations(annotations));
  const out: KubeObject = { apiVersion: STORAGE_API_VERSION, kind: KIND, metadata, spec };
  const status = asRecord(src.status);
  if (status) {
    out.status = convertStatus(status, legacyMetricStatusToV2);
  }
  return out;
}

/** autoscaling/v2 (storage) -> autoscaling/v2beta1. */
export function hpaV2ToV2beta1(obj: KubeObject): KubeObject {
  const src = structuredClone(obj);
  const specIn = asRecord(src.spec) ?? {};
  const annotations = dropRoundTripAnnotations(src.metadata.annotations);
  const behavior = asRecord(specIn.behavior) as HorizontalPodAutoscalerBehavior | undefined;
  if (behavior) {
    annotations[BEHAVIOR_ANNOTATION] = encodeBehavior(behavior);
  }
  const metadata = { ...src.metadata };
  setAnnotations(metadata, annotations);
  const toLegacySpec: MetricMapper = (m) => metricSpecToLegacy(m as MetricSpec);
  const spec = convertSpec(specIn, toLegacySpec);
  const out: KubeObject = { apiVersion: 'autoscaling/v2beta1', kind: KIND, metadata, spec };
  const status = asRecord(src.status);
  if (status) {
    const toLegacyStatus: MetricMapper = (m) => metricStatusToLegacy(m as MetricStatus);
    out.status = convertStatus(status, toLegacyStatus);
  }
  return out;
}

/** The v2beta2 and v2 shapes are identical; only the round-trip annotations are dropped. */
export function hpaSameShape(apiVersion: string): (obj: KubeObject) => KubeObject {
  return (obj) => {
    const src = structuredClone(obj);
    const metadata = { ...src.metadata };
    setAnnotations(metadata, dropRoundTripAnnotations(src.metadata.annotations));
    return { ...src, apiVersion, kind: KIND, metadata };
  };
}
