// apiregistration.k8s.io/v1 APIService defaulting and validation (kube-aggregator 1.32:
// apis/apiregistration/v1/defaults.go, validation/validation.go, registry/apiservice/strategy.go).
import type { FieldError } from '../../lib/errors.js';
import { asRecord, int, str } from '../autoscaling/field.js';
import { isValidPathSegmentName } from '../autoscaling/names.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { invalid, notSupported, required } from '../validation/field-error.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/validators.js';
import type { APIService, APIServiceCondition } from './types.js';
import { apiServiceName } from './types.js';

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** The condition kube-aggregator gives Local APIServices (NewLocalAvailableAPIServiceCondition). */
export function localAvailableCondition(now: string): APIServiceCondition {
  return {
    type: 'Available',
    status: 'True',
    lastTransitionTime: now,
    reason: 'Local',
    message: 'Local APIServices are always available',
  };
}

/**
 * SetDefaults_ServiceReference (port 443), and the Available condition upstream's
 * PrepareForCreate gives Local APIServices. kubeproc has no create hook: defaulting runs right
 * after a create cleared status, and an update keeps the stored status, so this fills in a missing
 * condition only, dated with the object's creation.
 */
export function defaultAPIService(obj: KubeObject): void {
  const spec = asRecord(obj.spec);
  const service = asRecord(spec?.service);
  if (service && service.port == null) {
    service.port = 443;
  }
  if (!spec || service) {
    return;
  }
  const svc = obj as APIService;
  const conditions = svc.status?.conditions ?? [];
  if (!conditions.some((c) => c.type === 'Available')) {
    const now = obj.metadata.creationTimestamp ?? '';
    svc.status = { ...svc.status, conditions: [...conditions, localAvailableCondition(now)] };
  }
}

function validateName(obj: KubeObject, group: string, version: string): FieldError[] {
  const name = obj.metadata.name ?? '';
  const requiredName = apiServiceName(group, version);
  // Path-segment problems are reported by the generic metadata check (nameRule 'path-segment').
  if (!name || isValidPathSegmentName(name).length > 0 || name === requiredName) {
    return [];
  }
  return [
    invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: "${requiredName}"`),
  ];
}

function validateService(spec: Record<string, unknown>): FieldError[] {
  const service = asRecord(spec.service);
  const skipTLS = spec.insecureSkipTLSVerify === true;
  const caBytes = Buffer.from(str(spec.caBundle), 'base64').length;
  if (!service) {
    return [
      ...(caBytes > 0
        ? [
            invalid(
              'spec.caBundle',
              `${caBytes} bytes`,
              'local APIServices may not have a caBundle',
            ),
          ]
        : []),
      ...(skipTLS
        ? [
            invalid(
              'spec.insecureSkipTLSVerify',
              true,
              'local APIServices may not have insecureSkipTLSVerify',
            ),
          ]
        : []),
    ];
  }
  const errs: FieldError[] = [];
  if (!str(service.namespace)) {
    errs.push(required('spec.service.namespace'));
  }
  if (!str(service.name)) {
    errs.push(required('spec.service.name'));
  }
  if (skipTLS && caBytes > 0) {
    errs.push(
      invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'),
    );
  }
  return errs;
}

function validateStatus(obj: KubeObject): FieldError[] {
  const conditions = (obj as APIService).status?.conditions ?? [];
  return conditions.flatMap((c, i) =>
    CONDITION_STATUSES.includes(c.status)
      ? []
      : [notSupported(`status.conditions[${i}].status`, c.status, CONDITION_STATUSES)],
  );
}

/** ValidateAPIService, plus the status conditions' values. */
export function validateAPIService(obj: KubeObject): FieldError[] {
  const spec = asRecord(obj.spec) ?? {};
  const group = str(spec.group);
  const version = str(spec.version);
  const errs = validateName(obj, group, version);
  if (group === '' && version !== 'v1') {
    errs.push(
      required('spec.group', 'only v1 may have an empty group and it better be legacy kube'),
    );
  }
  if (group !== '') {
    errs.push(...isDNS1123Subdomain(group).map((m) => invalid('spec.group', group, m)));
  }
  errs.push(...isDNS1035Label(version).map((m) => invalid('spec.version', version, m)));
  const groupPriority = int(spec.groupPriorityMinimum);
  if (groupPriority <= 0 || groupPriority > 20000) {
    errs.push(
      invalid('spec.groupPriorityMinimum', groupPriority, 'must be positive and less than 20000'),
    );
  }
  const versionPriority = int(spec.versionPriority);
  if (versionPriority <= 0 || versionPriority > 1000) {
    errs.push(
      invalid('spec.versionPriority', versionPriority, 'must be positive and less than 1000'),
    );
  }
  return [...errs, ...validateService(spec), ...validateStatus(obj)];
}

/** The APIService strategy. */
export const apiServiceStrategy: KindStrategy = {
  default: defaultAPIService,
  validate: validateAPIService,
};
