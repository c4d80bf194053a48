// Downward API `resourceFieldRef` values for env (kubelet_resources.go
// defaultPodLimitsForDownwardAPI, pkg/api/v1/resource ExtractContainerResourceValue).
import type { Container, Pod, QuantityValue, ResourceList } from '../../apis/core/v1/types.js';
import { parseQuantity, type Quantity } from '../../lib/quantity.js';
import { ContainerConfigError } from './errors.js';

export interface ResourceFieldRef {
  containerName?: string;
  resource?: string;
  divisor?: QuantityValue;
}

/** Limits a container without its own take from node allocatable (hugepages never do). */
const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

function quantity(value: QuantityValue | undefined): Quantity | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    return parseQuantity(String(value));
  } catch (err) {
    throw new ContainerConfigError((err as Error).message, { cause: err });
  }
}

/** MergeContainerResourceLimits: a missing or zero limit becomes the node's allocatable. */
function withDefaultLimits(container: Container, allocatable: Record<string, string>): Container {
  const limits: ResourceList = { ...container.resources?.limits };
  for (const name of DEFAULTED_LIMITS) {
    const own = quantity(limits[name]);
    const cap = allocatable[name];
    if ((own === undefined || own.isZero()) && cap !== undefined) {
      limits[name] = cap;
    }
  }
  return { ...container, resources: { ...container.resources, limits } };
}

/** The container a ref names: regular containers first, then init containers. */
function findContainer(pod: Pod, name: string): Container {
  const found =
    pod.spec?.containers?.find((c) => c.name === name) ??
    pod.spec?.initContainers?.find((c) => c.name === name);
  if (!found) {
    throw new ContainerConfigError(`container ${name} not found`);
  }
  return found;
}

/**
 * ceil(value / divisor) in the divisor's unit: CPU is compared in millicores, everything else in
 * whole units (both rounded up first), as float64 division the way upstream does it.
 */
function convert(value: Quantity | undefined, divisor: Quantity, isCPU: boolean): string {
  const [n, d] = isCPU
    ? [value?.milliValue() ?? 0, divisor.milliValue()]
    : [value?.value() ?? 0, divisor.value()];
  const ratio = Math.ceil(n / d);
  return Number.isFinite(ratio) ? BigInt(ratio).toString() : '0';
}

/** `limits.cpu` → `['limits', 'cpu']`; undefined for what the downward API does not offer. */
function parseResource(resource: string): ['limits' | 'requests', string] | undefined {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if (kind !== 'limits' && kind !== 'requests') {
    return undefined;
  }
  const isKnown = ['cpu', 'memory', 'ephemeral-storage'].includes(name);
  return isKnown || name.startsWith('hugepages-') ? [kind, name] : undefined;
}

/** ExtractContainerResourceValue for one already-defaulted container. */
function containerResourceValue(ref: ResourceFieldRef, container: Container): string {
  const resource = ref.resource ?? '';
  const parsed = parseResource(resource);
  if (!parsed) {
    throw new ContainerConfigError(`unsupported container resource : ${resource}`);
  }
  const [kind, name] = parsed;
  const given = quantity(ref.divisor);
  const divisor = given === undefined || given.isZero() ? parseQuantity('1') : given;
  const list = container.resources?.[kind] ?? {};
  const value = Object.hasOwn(list, name) ? quantity(list[name]) : undefined;
  return convert(value, divisor, name === 'cpu');
}

/**
 * The value of a `resourceFieldRef` env source of `container` in `pod`. Limits the container
 * does not set come from node allocatable; like upstream, a ref naming an init container other
 * than the one being started reads that init container's limits without this defaulting.
 */
export function resourceFieldRefValue(
  ref: ResourceFieldRef,
  pod: Pod,
  container: Container,
  allocatable: Record<string, string>,
): string {
  if (!ref.containerName) {
    return containerResourceValue(ref, withDefaultLimits(container, allocatable));
  }
  const isRegular = pod.spec?.containers?.some((c) => c.name === ref.containerName) ?? false;
  const target = findContainer(pod, ref.containerName);
  return containerResourceValue(ref, isRegular ? withDefaultLimits(target, allocatable) : target);
}
