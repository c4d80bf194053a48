// Strategy of the policy group: PodDisruptionBudget validation with the messages of Kubernetes
// 1.32 (pkg/apis/policy/validation). policy/v1 has no defaults.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { asRecord, int, str } from '../autoscaling/field.js';
import { invalid, notSupported } from '../validation/field-error.js';
import { goQuote, goRepr } from '../validation/go-format.js';
import { validateLabelSelector } from '../validation/labels.js';
import { IS_NEGATIVE } from '../validation/object-meta.js';
import { isValidPercent } from '../validation/validators.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** `%#v` of an intstr.IntOrString (Type 0 is Int, 1 is String). */
export function goIntOrString(value: unknown): ReturnType<typeof goRepr> {
  return typeof value === 'string'
    ? goRepr(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`)
    : goRepr(`intstr.IntOrString{Type:0, IntVal:${int(value)}, StrVal:""}`);
}

/** ValidatePositiveIntOrPercent followed by IsNotMoreThan100Percent. */
export function validateIntOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value !== 'string') {
    const n = int(value);
    return n < 0 ? [invalid(field, n, IS_NEGATIVE)] : [];
  }
  const errs = isValidPercent(value).map((m) => invalid(field, goIntOrString(value), m));
  if (errs.length === 0 && Number(value.slice(0, -1)) > 100) {
    errs.push(invalid(field, goIntOrString(value), 'must not be greater than 100%'));
  }
  return errs;
}

// Go prints pointer fields of the spec struct as addresses; these stand in for them.
function goSpec(spec: Record<string, unknown>): ReturnType<typeof goRepr> {
  const ptr = (type: string, v: unknown, addr: string): string =>
    `(*${type})(${v == null ? 'nil' : addr})`;
  return goRepr(
    `policy.PodDisruptionBudgetSpec{MinAvailable:${ptr('intstr.IntOrString', spec.minAvailable, '0xc000a1c000')}, ` +
      `Selector:${ptr('v1.LabelSelector', spec.selector, '0xc000a1c020')}, ` +
      `MaxUnavailable:${ptr('intstr.IntOrString', spec.maxUnavailable, '0xc000a1c040')}, ` +
      `UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy, '0xc000a1c060')}}`,
  );
}

/** ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudget(obj: KubeObject): FieldError[] {
  const spec = asRecord(obj.spec) ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    errs.push(invalid('spec', goSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  if (spec.minAvailable != null) {
    errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  }
  if (spec.maxUnavailable != null) {
    errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  }
  errs.push(...validateLabelSelector(asRecord(spec.selector), 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && !EVICTION_POLICIES.includes(str(policy))) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', str(policy), EVICTION_POLICIES));
  }
  return errs;
}

/** The counters ValidatePodDisruptionBudgetStatusUpdate requires to be non-negative (policy/v1). */
export function validatePodDisruptionBudgetStatus(status: unknown): FieldError[] {
  const s = asRecord(status) ?? {};
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap(
    (key) => (int(s[key]) < 0 ? [invalid(`status.${key}`, int(s[key]), IS_NEGATIVE)] : []),
  );
}

/** Strategies of the policy group, keyed by kind. */
export const policyStrategies: Record<string, KindStrategy> = {
  PodDisruptionBudget: { validate: validatePodDisruptionBudget },
};
