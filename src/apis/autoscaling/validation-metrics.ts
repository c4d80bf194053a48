// Validation of one autoscaling/v2 MetricSpec (source/type consistency, metric targets and
// identifiers), with the messages of Kubernetes 1.32 pkg/apis/autoscaling/validation.
import type { FieldError } from '../../lib/errors.js';
import { forbidden, invalid, notSupported, required } from '../validation/field-error.js';
import { goRepr } from '../validation/go-format.js';
import { isDNS1123Label, isQualifiedName } from '../validation/validators.js';
import { asRecord, str } from './field.js';
import { isValidPathSegmentName } from './names.js';
import { goQuantity, quantitySign } from './quantity.js';

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

type Rec = Record<string, unknown>;
type SourceCheck = (src: Rec, path: string) => FieldError[];

/** The source field each metric type must populate, and how that source is validated. */
const SOURCES: [type: string, field: string, check: SourceCheck][] = [
  ['Object', 'object', validateObjectSource],
  ['External', 'external', validateExternalSource],
  ['Pods', 'pods', validatePodsSource],
  ['Resource', 'resource', validateResourceSource],
  ['ContainerResource', 'containerResource', validateContainerResourceSource],
];

/** validateMetricSpec. */
export function validateMetricSpec(specValue: unknown, path: string): FieldError[] {
  const spec = asRecord(specValue) ?? {};
  const type = str(spec.type);
  const errs: FieldError[] = [];
  if (type.length === 0) {
    errs.push(required(`${path}.type`, 'must specify a metric source type'));
  }
  if (!SOURCE_TYPES.includes(type)) {
    errs.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  }
  const present: string[] = [];
  for (const [, field, check] of SOURCES) {
    const src = asRecord(spec[field]);
    if (src) {
      present.push(field);
      if (present.length === 1) {
        errs.push(...check(src, `${path}.${field}`));
      }
    }
  }
  const expected = SOURCES.find(([t]) => t === type)?.[1];
  if (expected === undefined) {
    // Upstream reports the unknown type a second time from its switch default.
    errs.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  } else if (!present.includes(expected)) {
    errs.push(
      required(`${path}.${expected}`, 'must populate information for the given metric source'),
    );
  }
  if (present.length !== 1) {
    for (const field of present.filter((f) => f !== expected)) {
      errs.push(forbidden(`${path}.${field}`, 'must populate the given metric source only'));
    }
  }
  return errs;
}

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionObjectReference(ref: unknown, path: string): FieldError[] {
  const r = asRecord(ref) ?? {};
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const value = str(r[key]);
    if (value.length === 0) {
      errs.push(required(`${path}.${key}`));
    } else {
      errs.push(...isValidPathSegmentName(value).map((m) => invalid(`${path}.${key}`, value, m)));
    }
  }
  return errs;
}

const target = (src: Rec): Rec => asRecord(src.target) ?? {};

function validateObjectSource(src: Rec, path: string): FieldError[] {
  const t = target(src);
  const errs = [
    ...validateCrossVersionObjectReference(src.describedObject, `${path}.describedObject`),
    ...validateMetricIdentifier(src.metric, `${path}.metric`),
    ...validateMetricTarget(t, `${path}.target`),
  ];
  if (t.value == null && t.averageValue == null) {
    errs.push(
      required(`${path}.target.averageValue`, 'must set either a target value or averageValue'),
    );
  }
  return errs;
}

function validateExternalSource(src: Rec, path: string): FieldError[] {
  const t = target(src);
  const errs = [
    ...validateMetricIdentifier(src.metric, `${path}.metric`),
    ...validateMetricTarget(t, `${path}.target`),
  ];
  if (t.value == null && t.averageValue == null) {
    errs.push(
      required(
        `${path}.target.averageValue`,
        'must set either a target value for metric or a per-pod target',
      ),
    );
  }
  if (t.value != null && t.averageValue != null) {
    errs.push(
      forbidden(
        `${path}.target.value`,
        'may not set both a target value for metric and a per-pod target',
      ),
    );
  }
  return errs;
}

function validatePodsSource(src: Rec, path: string): FieldError[] {
  const t = target(src);
  const errs = [
    ...validateMetricIdentifier(src.metric, `${path}.metric`),
    ...validateMetricTarget(t, `${path}.target`),
  ];
  if (t.averageValue == null) {
    errs.push(
      required(`${path}.target.averageValue`, 'must specify a positive target averageValue'),
    );
  }
  return errs;
}

function validateUtilizationOrValue(t: Rec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (t.averageUtilization == null && t.averageValue == null) {
    errs.push(
      required(
        `${path}.target.averageUtilization`,
        'must set either a target raw value or a target utilization',
      ),
    );
  }
  if (t.averageUtilization != null && t.averageValue != null) {
    errs.push(
      forbidden(
        `${path}.target.averageValue`,
        'may not set both a target raw value and a target utilization',
      ),
    );
  }
  return errs;
}

function validateResourceSource(src: Rec, path: string): FieldError[] {
  const t = target(src);
  const errs: FieldError[] = [];
  if (str(src.name).length === 0) {
    errs.push(required(`${path}.name`, 'must specify a resource name'));
  }
  errs.push(...validateMetricTarget(t, `${path}.target`));
  errs.push(...validateUtilizationOrValue(t, path));
  return errs;
}

function validateContainerResourceSource(src: Rec, path: string): FieldError[] {
  const t = target(src);
  const name = str(src.name);
  const container = str(src.container);
  const errs: FieldError[] = [];
  if (name.length === 0) {
    errs.push(required(`${path}.name`, 'must specify a resource name'));
  } else {
    errs.push(...validateContainerResourceName(name, `${path}.name`));
  }
  if (container.length === 0) {
    errs.push(required(`${path}.container`, 'must specify a container'));
  } else {
    errs.push(...isDNS1123Label(container).map((m) => invalid(`${path}.container`, container, m)));
  }
  errs.push(...validateMetricTarget(t, `${path}.target`));
  errs.push(...validateUtilizationOrValue(t, path));
  return errs;
}

const CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** corevalidation.ValidateContainerResourceName, for the names an HPA can reasonably carry. */
function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length > 0 || name.includes('/')) {
    return errs;
  }
  if (!CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-')) {
    return [invalid(path, name, 'must be a standard resource for containers')];
  }
  return [];
}

function validateQuantity(value: unknown, path: string): FieldError[] {
  if (value == null) {
    return [];
  }
  const sign = quantitySign(value);
  if (typeof sign === 'object') {
    return [invalid(path, typeof value === 'number' ? String(value) : str(value), sign.error)];
  }
  return sign === 1 ? [] : [invalid(path, goRepr(goQuantity(value)), 'must be positive')];
}

/** validateMetricTarget. */
function validateMetricTarget(t: Rec, path: string): FieldError[] {
  const type = str(t.type);
  const errs: FieldError[] = [];
  if (type.length === 0) {
    errs.push(required(`${path}.type`, 'must specify a metric target type'));
  }
  if (!TARGET_TYPES.includes(type)) {
    errs.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  }
  errs.push(...validateQuantity(t.value, `${path}.value`));
  errs.push(...validateQuantity(t.averageValue, `${path}.averageValue`));
  const utilization = t.averageUtilization;
  if (typeof utilization === 'number' && utilization < 1) {
    errs.push(invalid(`${path}.averageUtilization`, utilization, 'must be greater than 0'));
  }
  return errs;
}

/** validateMetricIdentifier: the name becomes a path segment of the metrics API. */
function validateMetricIdentifier(idValue: unknown, path: string): FieldError[] {
  const name = str(asRecord(idValue)?.name);
  if (name.length === 0) {
    return [required(`${path}.name`, 'must specify a metric name')];
  }
  return isValidPathSegmentName(name).map((m) => invalid(`${path}.name`, name, m));
}
