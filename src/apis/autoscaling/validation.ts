// HorizontalPodAutoscaler spec validation with the messages of Kubernetes 1.32
// (pkg/apis/autoscaling/validation), applied to the autoscaling/v2 storage object.
import type { FieldError } from '../../lib/errors.js';
import { validateCrossVersionObjectReference, validateMetricSpec } from './validation-metrics.js';
import { forbidden, invalid, notSupported, required } from '../validation/field-error.js';
import { asArray, asRecord, int, str } from './field.js';

export { validateCrossVersionObjectReference };

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** validateHorizontalPodAutoscalerSpec; `minReplicasLowerBound` is 0 only with HPAScaleToZero. */
export function validateHorizontalPodAutoscalerSpec(
  specValue: unknown,
  minReplicasLowerBound: number,
): FieldError[] {
  const spec = asRecord(specValue) ?? {};
  const errs: FieldError[] = [];
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : undefined;
  const max = int(spec.maxReplicas);
  if (min !== undefined && min < minReplicasLowerBound) {
    errs.push(
      invalid('spec.minReplicas', min, `must be greater than or equal to ${minReplicasLowerBound}`),
    );
  }
  if (max < 1) {
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  }
  if (min !== undefined && max < min) {
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  errs.push(...validateMetrics(spec.metrics, min));
  errs.push(...validateBehavior(spec.behavior));
  return errs;
}

function validateMetrics(metrics: unknown, minReplicas: number | undefined): FieldError[] {
  const list = asArray(metrics);
  const errs = list.flatMap((m, i) => validateMetricSpec(m, `spec.metrics[${i}]`));
  const types = list.map((m) => asRecord(m)?.type);
  if (minReplicas === 0 && !types.includes('Object') && !types.includes('External')) {
    errs.push(
      forbidden(
        'spec.metrics',
        'must specify at least one Object or External metric to support scaling to zero replicas',
      ),
    );
  }
  return errs;
}

function validateBehavior(behavior: unknown): FieldError[] {
  const b = asRecord(behavior);
  if (!b) {
    return [];
  }
  return [
    ...validateScalingRules(b.scaleUp, 'spec.behavior.scaleUp'),
    ...validateScalingRules(b.scaleDown, 'spec.behavior.scaleDown'),
  ];
}

function validateScalingRules(rulesValue: unknown, path: string): FieldError[] {
  const rules = asRecord(rulesValue);
  if (!rules) {
    return [];
  }
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && window < 0) {
    errs.push(
      invalid(
        `${path}.stabilizationWindowSeconds`,
        window,
        'must be greater than or equal to zero',
      ),
    );
  }
  if (typeof window === 'number' && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(
      invalid(
        `${path}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`,
      ),
    );
  }
  if (rules.selectPolicy != null && !SELECT_POLICIES.includes(str(rules.selectPolicy))) {
    errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = asArray(rules.policies);
  if (policies.length === 0) {
    errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  }
  policies.forEach((p, i) => errs.push(...validateScalingPolicy(p, `${path}.policies[${i}]`)));
  return errs;
}

function validateScalingPolicy(policyValue: unknown, path: string): FieldError[] {
  const policy = asRecord(policyValue) ?? {};
  const errs: FieldError[] = [];
  const type = str(policy.type);
  if (!POLICY_TYPES.includes(type)) {
    errs.push(notSupported(`${path}.type`, type, POLICY_TYPES));
  }
  const value = int(policy.value);
  if (value <= 0) {
    errs.push(invalid(`${path}.value`, value, 'must be greater than zero'));
  }
  const period = int(policy.periodSeconds);
  if (period <= 0) {
    errs.push(invalid(`${path}.periodSeconds`, period, 'must be greater than zero'));
  }
  if (period > MAX_PERIOD_SECONDS) {
    errs.push(
      invalid(
        `${path}.periodSeconds`,
        period,
        `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
      ),
    );
  }
  return errs;
}

/** ValidateHorizontalPodAutoscalerStatusUpdate (status counters may not be negative). */
export function validateHorizontalPodAutoscalerStatus(status: unknown): FieldError[] {
  const s = asRecord(status) ?? {};
  const errs: FieldError[] = [];
  for (const key of ['currentReplicas', 'desiredReplicas']) {
    const n = int(s[key]);
    if (n < 0) {
      errs.push(invalid(`status.${key}`, n, 'must be greater than or equal to 0'));
    }
  }
  return errs;
}
