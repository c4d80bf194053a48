// autoscaling/v2 HorizontalPodAutoscaler defaulting, as pkg/apis/autoscaling/v2/defaults.go does
// it in Kubernetes 1.32 (minReplicas, the 80% CPU metric, and behavior rule filling).
import type { KubeObject } from '../meta.js';
import { asArray, asRecord } from './field.js';
import { canonicalQuantity } from './quantity.js';
import type { HPAScalingRules, MetricSpec } from './types.js';
import { DEFAULT_CPU_UTILIZATION } from './types.js';

/** A Resource cpu metric targeting `percent` average utilization. */
export function cpuUtilizationMetric(percent: number): MetricSpec {
  return {
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
  };
}

/** The rules Kubernetes fills into `behavior.scaleUp` (the pre-behavior scale-up limits). */
export function defaultScaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/**
 * The rules Kubernetes fills into `behavior.scaleDown`. The stabilization window stays unset:
 * the controller takes it from --horizontal-pod-autoscaler-downscale-stabilization (300 s).
 */
export function defaultScaleDownRules(): HPAScalingRules {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: every field the user set wins over the default. */
export function fillScalingRules(rules: unknown, defaults: HPAScalingRules): HPAScalingRules {
  const from = asRecord(rules) ?? {};
  const out: HPAScalingRules = {};
  const window = from.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds;
  if (window != null) {
    out.stabilizationWindowSeconds = window as number;
  }
  out.selectPolicy = (from.selectPolicy ?? defaults.selectPolicy) as string;
  out.policies = (from.policies ?? defaults.policies) as HPAScalingRules['policies'];
  return out;
}

const SOURCES = ['object', 'pods', 'resource', 'containerResource', 'external'];

/** Rewrites the quantities of metric targets or statuses in the canonical form Kubernetes stores. */
function canonicalizeMetrics(metrics: unknown, holder: 'target' | 'current'): void {
  const holders = asArray(metrics).flatMap((metric) =>
    SOURCES.map((source) => asRecord(asRecord(asRecord(metric)?.[source])?.[holder])),
  );
  for (const values of holders) {
    for (const key of ['value', 'averageValue']) {
      if (values && values[key] != null) {
        values[key] = canonicalQuantity(values[key]);
      }
    }
  }
}

/** SetDefaults_HorizontalPodAutoscaler for the autoscaling/v2 (storage) object, in place. */
export function defaultHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = asRecord(obj.spec) ?? {};
  obj.spec = spec;
  if (spec.minReplicas == null) {
    spec.minReplicas = 1;
  }
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  }
  canonicalizeMetrics(spec.metrics, 'target');
  canonicalizeMetrics(asRecord(obj.status)?.currentMetrics, 'current');
  const behavior = asRecord(spec.behavior);
  if (behavior) {
    behavior.scaleUp = fillScalingRules(behavior.scaleUp, defaultScaleUpRules());
    behavior.scaleDown = fillScalingRules(behavior.scaleDown, defaultScaleDownRules());
  }
}
