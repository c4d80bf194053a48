// networking.k8s.io/v1 IngressClass defaulting and validation (Kubernetes 1.32): the controller
// name and the parameters reference.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import { asRecord, str, validateImmutable } from '../autoscaling/field.js';
import { isDomainPrefixedPath, isValidPathSegmentName } from '../autoscaling/names.js';
import { forbidden, invalid, notSupported, required, tooLong } from '../validation/field-error.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/validators.js';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

/** SetDefaults_IngressClass: a parameters reference without a scope is cluster-scoped. */
export function defaultIngressClass(obj: KubeObject): void {
  const params = asRecord(asRecord(obj.spec)?.parameters);
  if (params && params.scope == null) {
    params.scope = 'Cluster';
  }
}

function validateScope(params: Record<string, unknown>, path: string): FieldError[] {
  if (params.scope == null) {
    return [required(`${path}.scope`)];
  }
  const scope = str(params.scope);
  if (!SCOPES.includes(scope)) {
    return [notSupported(`${path}.scope`, scope, SCOPES)];
  }
  if (scope === 'Namespace') {
    if (params.namespace == null) {
      return [required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'")];
    }
    const ns = str(params.namespace);
    return isDNS1123Label(ns).map((m) => invalid(`${path}.namespace`, ns, m));
  }
  return params.namespace == null
    ? []
    : [forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'")];
}

function validateParameters(value: unknown, path: string): FieldError[] {
  const params = asRecord(value);
  if (!params) {
    return [];
  }
  const errs: FieldError[] = [];
  if (params.apiGroup != null) {
    const group = str(params.apiGroup);
    errs.push(...isDNS1123Subdomain(group).map((m) => invalid(`${path}.apiGroup`, group, m)));
  }
  for (const key of ['kind', 'name']) {
    const v = str(params[key]);
    if (v === '') {
      errs.push(required(`${path}.${key}`));
    } else {
      errs.push(...isValidPathSegmentName(v).map((m) => invalid(`${path}.${key}`, v, m)));
    }
  }
  return [...errs, ...validateScope(params, path)];
}

/** validateIngressClassSpec. */
export function validateIngressClass(obj: KubeObject): FieldError[] {
  const spec = asRecord(obj.spec) ?? {};
  const controller = str(spec.controller);
  const errs: FieldError[] = [];
  if (controller === '') {
    errs.push(required('spec.controller'));
  } else {
    if (controller.length > MAX_CONTROLLER_LENGTH) {
      errs.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
    }
    errs.push(...isDomainPrefixedPath('spec.controller', controller));
  }
  errs.push(...validateParameters(spec.parameters, 'spec.parameters'));
  return errs;
}

/** validateIngressClassSpecUpdate: the controller is immutable. */
export function validateIngressClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = str(asRecord(obj.spec)?.controller);
  return validateImmutable('spec.controller', next, str(asRecord(old.spec)?.controller));
}
