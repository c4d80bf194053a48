// ServiceMonitor validation as the prometheus-operator CRD's OpenAPI schema gives it (required
// fields, duration and size patterns, the scheme enum, with apiextensions' wording), and the
// fields kubeproc keeps but does not act on (relabelings, auth, TLS ...), named in warnings.
import type { FieldError } from '../../lib/errors.js';
import { asArray, asRecord } from '../autoscaling/field.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { invalid, notSupported, required } from '../validation/field-error.js';
import { BYTE_SIZE_PATTERN, DURATION_PATTERN } from './duration.js';

const SCHEMES = ['http', 'https'];
const ACTED_ON_SPEC = new Set([
  'jobLabel',
  'targetLabels',
  'podTargetLabels',
  'endpoints',
  'selector',
  'namespaceSelector',
  'sampleLimit',
  'bodySizeLimit',
]);
const ACTED_ON_ENDPOINT = new Set([
  'port',
  'targetPort',
  'path',
  'scheme',
  'params',
  'interval',
  'scrapeTimeout',
  'honorLabels',
]);

/** apiextensions' type error: `<path> in body must be of type <type>: "<actual>"`. */
function typeError(path: string, value: unknown, type: string): FieldError {
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return invalid(path, actual, `${path} in body must be of type ${type}: "${actual}"`);
}

function pattern(path: string, value: unknown, re: string): FieldError[] {
  if (value === undefined) {
    return [];
  }
  if (typeof value !== 'string') {
    return [typeError(path, value, 'string')];
  }
  return new RegExp(re).test(value)
    ? []
    : [invalid(path, value, `${path} in body should match '${re}'`)];
}

function validateEndpoint(ep: unknown, path: string): FieldError[] {
  const e = asRecord(ep);
  if (!e) {
    return [typeError(path, ep, 'object')];
  }
  const errs: FieldError[] = [];
  for (const f of ['port', 'path'] as const) {
    if (e[f] !== undefined && typeof e[f] !== 'string') {
      errs.push(typeError(`${path}.${f}`, e[f], 'string'));
    }
  }
  errs.push(...pattern(`${path}.interval`, e.interval, DURATION_PATTERN));
  errs.push(...pattern(`${path}.scrapeTimeout`, e.scrapeTimeout, DURATION_PATTERN));
  if (e.scheme !== undefined && !SCHEMES.includes(e.scheme as string)) {
    errs.push(notSupported(`${path}.scheme`, e.scheme, SCHEMES));
  }
  return errs;
}

/** The CRD schema's checks of spec. */
export function validateServiceMonitor(obj: KubeObject): FieldError[] {
  const raw = (obj as { spec?: unknown }).spec;
  if (raw === undefined) {
    return [required('spec')];
  }
  const spec = asRecord(raw);
  if (!spec) {
    return [typeError('spec', raw, 'object')];
  }
  const errs: FieldError[] = [];
  if (spec.endpoints === undefined) {
    errs.push(required('spec.endpoints'));
  } else if (!Array.isArray(spec.endpoints)) {
    errs.push(typeError('spec.endpoints', spec.endpoints, 'array'));
  } else {
    spec.endpoints.forEach((ep, i) => errs.push(...validateEndpoint(ep, `spec.endpoints[${i}]`)));
  }
  if (spec.selector === undefined) {
    errs.push(required('spec.selector'));
  } else if (!asRecord(spec.selector)) {
    errs.push(typeError('spec.selector', spec.selector, 'object'));
  }
  errs.push(...pattern('spec.bodySizeLimit', spec.bodySizeLimit, BYTE_SIZE_PATTERN));
  return errs;
}

/** Fields set that the built-in scraper ignores (relabelings, auth, TLS, limits ...). */
export function serviceMonitorIgnoredFields(obj: KubeObject): string[] {
  const spec = asRecord((obj as { spec?: unknown }).spec) ?? {};
  const out = Object.keys(spec)
    .filter((k) => !ACTED_ON_SPEC.has(k))
    .map((k) => `spec.${k}`);
  asArray(spec.endpoints).forEach((ep, i) => {
    for (const k of Object.keys(asRecord(ep) ?? {})) {
      if (!ACTED_ON_ENDPOINT.has(k)) {
        out.push(`spec.endpoints[${i}].${k}`);
      }
    }
  });
  return out;
}

export const serviceMonitorStrategy: KindStrategy = {
  validate: validateServiceMonitor,
  ignoredFields: serviceMonitorIgnoredFields,
};
