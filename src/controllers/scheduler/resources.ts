// Resource arithmetic of the scheduler: a pod's effective requests (component-helpers
// resource.PodRequests) and a node's allocatable, as plain numbers (cpu in millicores).
import type { Container, Pod, QuantityValue, ResourceList } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { parseQuantity } from '../../lib/quantity.js';

/** Resource name → amount: millicores for cpu, the quantity's Value() for the rest. */
export type Resources = Record<string, number>;

// Used for spreading only (NonZeroRequested): a container asking for nothing still counts.
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** The amount of one resource in scheduler units; invalid quantities count as zero. */
export function amount(name: string, value: QuantityValue | null | undefined): number {
  if (value === undefined || value === null) {
    return 0;
  }
  try {
    const q = parseQuantity(String(value));
    return name === 'cpu' ? q.milliValue() : q.value();
  } catch {
    return 0; // Validation rejects these on write; a stale object must not crash scheduling.
  }
}

/** A ResourceList as Resources. */
export function toResources(list: ResourceList | undefined): Resources {
  const out: Resources = {};
  for (const [name, value] of Object.entries(list ?? {})) {
    out[name] = amount(name, value);
  }
  return out;
}

export function addTo(target: Resources, r: Resources): void {
  for (const [name, v] of Object.entries(r)) {
    target[name] = (target[name] ?? 0) + v;
  }
}

function maxInto(target: Resources, r: Resources): void {
  for (const [name, v] of Object.entries(r)) {
    target[name] = Math.max(target[name] ?? 0, v);
  }
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = toResources(c.resources?.requests);
  if (nonZero) {
    // Only a missing request is defaulted; an explicit zero stays zero.
    if (c.resources?.requests?.cpu === undefined) {
      r.cpu = DEFAULT_MILLI_CPU_REQUEST;
    }
    if (c.resources?.requests?.memory === undefined) {
      r.memory = DEFAULT_MEMORY_REQUEST;
    }
  }
  return r;
}

/** The peak of the init phase: each init container plus the sidecars started before it. */
function initRequests(pod: Pod, nonZero: boolean): { sidecars: Resources; peak: Resources } {
  const sidecars: Resources = {};
  const peak: Resources = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addTo(sidecars, r);
      maxInto(peak, sidecars);
    } else {
      addTo(r, sidecars);
      maxInto(peak, r);
    }
  }
  return { sidecars, peak };
}

/**
 * What the pod asks of a node: the larger of its running containers (with sidecars, restartable
 * init containers, which keep running) and of any one init phase, plus the pod overhead.
 * nonZero defaults missing cpu and memory requests, for scoring (NonZeroRequested).
 */
export function podRequests(pod: Pod, opts: { nonZero?: boolean } = {}): Resources {
  const nonZero = opts.nonZero ?? false;
  const reqs: Resources = {};
  for (const c of pod.spec?.containers ?? []) {
    addTo(reqs, containerRequests(c, nonZero));
  }
  const init = initRequests(pod, nonZero);
  addTo(reqs, init.sidecars);
  maxInto(reqs, init.peak);
  addTo(reqs, toResources(pod.spec?.overhead));
  return nonZero ? { cpu: reqs.cpu ?? 0, memory: reqs.memory ?? 0 } : reqs;
}

/** status.allocatable of a node. */
export function nodeAllocatable(node: KubeObject): Resources {
  const status = (node.status ?? {}) as { allocatable?: ResourceList };
  return toResources(status.allocatable);
}
