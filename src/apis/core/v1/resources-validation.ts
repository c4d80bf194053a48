// Container resource requirements (ValidateResourceRequirements): resource names, quantities that
// parse and are not negative, and requests not above limits.
import type { FieldError } from '../../../lib/errors.js';
import type { Quantity } from '../../../lib/quantity.js';
import { child, forbidden, invalid, key, required } from '../../validation/field-error.js';
import { IS_NEGATIVE } from '../../validation/object-meta.js';
import { isQuantity, readQuantity } from '../../validation/quantity.js';
import { isQualifiedName } from '../../validation/validators.js';
import type { ResourceList, ResourceRequirements } from './types.js';

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');

/** A vendor-prefixed resource such as `example.com/gpu`. */
export function isExtendedResourceName(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) {
    return false;
  }
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Native resources other than hugepages may have requests below limits. */
export function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length) {
    return errs;
  }
  const standard =
    STANDARD_RESOURCES.has(name) || isHugePages(name) || name.startsWith('requests.hugepages-');
  if (!name.includes('/') && !standard) {
    return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtendedResourceName(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources. */
export function validateQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) {
    errs.push(invalid(path, q.toString(), IS_NEGATIVE));
  }
  const integer = INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
  if (integer && q.milliValue() % 1000 !== 0) {
    errs.push(invalid(path, q.toString(), 'must be an integer'));
  }
  return errs;
}

function validateEntry(
  name: string,
  raw: unknown,
  path: string,
  errs: FieldError[],
): Quantity | undefined {
  errs.push(...validateContainerResourceName(name, path));
  const q = readQuantity(raw);
  if (!isQuantity(q)) {
    errs.push(invalid(path, raw, q.error));
    return undefined;
  }
  errs.push(...validateQuantityValue(name, q, path));
  return q;
}

function compareToLimit(name: string, q: Quantity, limit: Quantity, reqPath: string): FieldError[] {
  // Non-overcommittable resources (extended, hugepages) need requests equal to limits.
  if (q.compare(limit) !== 0 && !isOvercommitAllowed(name)) {
    return [
      invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`),
    ];
  }
  if (q.compare(limit) > 0) {
    return [
      invalid(
        reqPath,
        q.toString(),
        `must be less than or equal to ${name} limit of ${limit.toString()}`,
      ),
    ];
  }
  return [];
}

/** ValidateResourceRequirements for one container. */
export function validateResourceRequirements(
  res: ResourceRequirements | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limitList: ResourceList = res?.limits ?? {};
  const limits = new Map<string, Quantity | undefined>();
  for (const [name, raw] of Object.entries(limitList)) {
    limits.set(name, validateEntry(name, raw, key(limPath, name), errs));
  }
  for (const [name, raw] of Object.entries(res?.requests ?? {})) {
    const q = validateEntry(name, raw, key(reqPath, name), errs);
    const limit = limits.get(name);
    if (q && limit) {
      errs.push(...compareToLimit(name, q, limit, reqPath));
    } else if (!limits.has(name) && !isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  const names = [...limits.keys(), ...Object.keys(res?.requests ?? {})];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory')) {
    errs.push(forbidden(path, 'HugePages require cpu or memory'));
  }
  return errs;
}
