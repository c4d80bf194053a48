// networking.k8s.io/v1 Ingress validation with the messages of Kubernetes 1.32
// (pkg/apis/networking/validation: rules, paths, backends, TLS, ingressClassName).
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import { asArray, asRecord, str } from '../autoscaling/field.js';
import { parseIP } from '../autoscaling/ip.js';
import { isValidPathSegmentName, isWildcardDNS1123Subdomain } from '../autoscaling/names.js';
import { invalid, notSupported, required } from '../validation/field-error.js';
import { goRepr } from '../validation/go-format.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
} from '../validation/validators.js';

type Rec = Record<string, unknown>;

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Ingress rules that predate stricter validation may stay as they are (upstream ratcheting). */
export interface IngressValidationOptions {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

function hostErrors(host: string, field: string): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => invalid(field, host, m));
}

function validateTLS(tls: unknown[], opts: IngressValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((raw, i) => {
    const t = asRecord(raw) ?? {};
    asArray(t.hosts).forEach((h, j) =>
      errs.push(...hostErrors(str(h), `spec.tls[${i}].hosts[${j}]`)),
    );
    const secret = str(t.secretName);
    if (!opts.allowInvalidSecretName && secret.length > 0) {
      errs.push(
        ...isDNS1123Subdomain(secret).map((m) => invalid(`spec.tls[${i}].secretName`, secret, m)),
      );
    }
  });
  return errs;
}

function validateResourceRef(ref: Rec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup != null) {
    const group = str(ref.apiGroup);
    errs.push(...isDNS1123Subdomain(group).map((m) => invalid(`${path}.apiGroup`, group, m)));
  }
  for (const key of ['kind', 'name']) {
    const value = str(ref[key]);
    if (value === '') {
      errs.push(required(`${path}.${key}`));
    } else {
      errs.push(...isValidPathSegmentName(value).map((m) => invalid(`${path}.${key}`, value, m)));
    }
  }
  return errs;
}

function validateServicePort(service: Rec, path: string): FieldError[] {
  const port = asRecord(service.port) ?? {};
  const name = str(port.name);
  const number = typeof port.number === 'number' ? port.number : 0;
  if (name && number !== 0) {
    return [invalid(path, '', 'cannot set both port name & port number')];
  }
  if (name) {
    return isValidPortName(name).map((m) => invalid(`${path}.service.port.name`, name, m));
  }
  if (number !== 0) {
    return isValidPortNum(number).map((m) => invalid(`${path}.service.port.number`, number, m));
  }
  return [required(path, 'port name or number is required')];
}

/** validateIngressBackend. */
export function validateIngressBackend(backendValue: unknown, path: string): FieldError[] {
  const backend = asRecord(backendValue) ?? {};
  const resource = asRecord(backend.resource);
  const service = asRecord(backend.service);
  if (resource && service) {
    return [invalid(path, '', 'cannot set both resource and service backends')];
  }
  if (resource) {
    return validateResourceRef(resource, `${path}.resource`);
  }
  if (!service) {
    return [invalid(path, '', 'resource or service backend is required')];
  }
  const name = str(service.name);
  const errs =
    name === ''
      ? [required(`${path}.service.name`)]
      : isDNS1035Label(name).map((m) => invalid(`${path}.service.name`, name, m));
  return [...errs, ...validateServicePort(service, path)];
}

function validatePathString(path: Rec, field: string): FieldError[] {
  const p = str(path.path);
  const errs: FieldError[] = [];
  if (!p.startsWith('/')) {
    errs.push(invalid(field, p, 'must be an absolute path'));
  }
  if (p.length > 0) {
    for (const seq of INVALID_PATH_SEQUENCES.filter((s) => p.includes(s))) {
      errs.push(invalid(field, p, `must not contain '${seq}'`));
    }
    for (const suffix of INVALID_PATH_SUFFIXES.filter((s) => p.endsWith(s))) {
      errs.push(invalid(field, p, `cannot end with '${suffix}'`));
    }
  }
  return errs;
}

function validateHTTPPath(raw: unknown, field: string): FieldError[] {
  const path = asRecord(raw) ?? {};
  if (path.pathType == null) {
    return [required(`${field}.pathType`, 'pathType must be specified')];
  }
  const errs: FieldError[] = [];
  const type = str(path.pathType);
  const p = str(path.path);
  if (type === 'Exact' || type === 'Prefix') {
    errs.push(...validatePathString(path, `${field}.path`));
  } else if (type === 'ImplementationSpecific') {
    if (p.length > 0 && !p.startsWith('/')) {
      errs.push(invalid(`${field}.path`, p, 'must be an absolute path'));
    }
  } else {
    errs.push(notSupported(`${field}.pathType`, type, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(path.backend, `${field}.backend`));
  return errs;
}

/** validateIngressRuleValue. */
function validateRuleValue(rule: Rec, field: string): FieldError[] {
  const http = asRecord(rule.http);
  if (!http) {
    return [];
  }
  const paths = asArray(http.paths);
  const errs = paths.length === 0 ? [required(`${field}.http.paths`)] : [];
  paths.forEach((p, i) => errs.push(...validateHTTPPath(p, `${field}.http.paths[${i}]`)));
  return errs;
}

function validateRules(rules: unknown[], opts: IngressValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((raw, i) => {
    const rule = asRecord(raw) ?? {};
    const host = str(rule.host);
    const field = `spec.rules[${i}]`;
    if (host.length > 0 && parseIP(host)) {
      errs.push(invalid(`${field}.host`, host, 'must be a DNS name, not an IP address'));
    }
    if (host.length > 0) {
      errs.push(...hostErrors(host, `${field}.host`));
    }
    if (!host.includes('*') || !opts.allowInvalidWildcardHostRule) {
      errs.push(...validateRuleValue(rule, field));
    }
  });
  return errs;
}

/** ValidateIngressSpec. */
export function validateIngressSpec(
  specValue: unknown,
  opts: IngressValidationOptions,
): FieldError[] {
  const spec = asRecord(specValue) ?? {};
  const rules = asArray(spec.rules);
  const errs: FieldError[] = [];
  if (rules.length === 0 && spec.defaultBackend == null) {
    const rendered = Array.isArray(spec.rules)
      ? '[]networking.IngressRule{}'
      : '[]networking.IngressRule(nil)';
    errs.push(
      invalid('spec', goRepr(rendered), 'either `defaultBackend` or `rules` must be specified'),
    );
  }
  if (spec.defaultBackend != null) {
    errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  }
  errs.push(...validateRules(rules, opts));
  errs.push(...validateTLS(asArray(spec.tls), opts));
  if (spec.ingressClassName != null) {
    const name = str(spec.ingressClassName);
    errs.push(...isDNS1123Subdomain(name).map((m) => invalid('spec.ingressClassName', name, m)));
  }
  return errs;
}

/** ValidateIngressCreate (metadata is validated elsewhere). */
export function validateIngressCreate(obj: KubeObject): FieldError[] {
  const errs = validateIngressSpec(obj.spec, {
    allowInvalidSecretName: false,
    allowInvalidWildcardHostRule: false,
  });
  const annotation = obj.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  const className = asRecord(obj.spec)?.ingressClassName;
  if (annotation !== undefined && typeof className === 'string' && annotation !== className) {
    errs.push(
      invalid(
        `annotations.${INGRESS_CLASS_ANNOTATION}`,
        annotation,
        'must match `ingressClassName` when both are specified',
      ),
    );
  }
  return errs;
}

/** The options ValidateIngressUpdate derives from the stored object. */
export function ingressUpdateOptions(old: KubeObject): IngressValidationOptions {
  const spec = asRecord(old.spec) ?? {};
  const allowInvalidSecretName = asArray(spec.tls).some((t) => {
    const secret = str(asRecord(t)?.secretName);
    return secret.length > 0 && isDNS1123Subdomain(secret).length > 0;
  });
  const allowInvalidWildcardHostRule = asArray(spec.rules).some((r) => {
    const rule = asRecord(r) ?? {};
    return str(rule.host).includes('*') && validateRuleValue(rule, '').length > 0;
  });
  return { allowInvalidSecretName, allowInvalidWildcardHostRule };
}
