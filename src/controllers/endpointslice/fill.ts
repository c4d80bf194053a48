// Placing one port set's desired endpoints into that port set's slices: keep what is still
// wanted where it is, fill changed slices first, then the fullest unchanged one that fits, then
// new slices (upstream k8s.io/endpointslice reconciler.go reconcileByPortMapping).
import type { Service } from '../../apis/core/v1/types.js';
import {
  endpointKey,
  endpointsEqualBeyondHash,
  newEndpointSlice,
  sliceLabels,
} from './endpoint.js';
import type { AddressType, EndpointSlice, SliceEndpoint, SlicePort } from './types.js';

/** The endpoints wanted for one port set, keyed by endpointKey. */
export interface DesiredGroup {
  ports: SlicePort[];
  endpoints: Map<string, SliceEndpoint>;
}

export interface FillMeta {
  svc: Service;
  addressType: AddressType;
  max: number;
}

/** Takes the first remaining desired endpoint (upstream pops an arbitrary one). */
function pop(desired: Map<string, SliceEndpoint>): SliceEndpoint | undefined {
  const first = desired.entries().next();
  if (first.done) {
    return undefined;
  }
  desired.delete(first.value[0]);
  return first.value[1];
}

function fill(slice: EndpointSlice, desired: Map<string, SliceEndpoint>, max: number): void {
  const endpoints = (slice.endpoints ??= []);
  while (desired.size > 0 && endpoints.length < max) {
    const next = pop(desired);
    if (next) {
      endpoints.push(next);
    }
  }
}

/** getSliceToFill: the slice left closest to full once `count` endpoints are added. */
function sliceToFill(slices: EndpointSlice[], count: number, max: number) {
  let closest: EndpointSlice | undefined;
  let closestDiff = max;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) {
        break;
      }
    }
  }
  return closest;
}

/** The slice's endpoints still wanted (in their desired form), taken out of desired. */
function keepWanted(slice: EndpointSlice, desired: Map<string, SliceEndpoint>) {
  const kept: SliceEndpoint[] = [];
  let updated = false;
  for (const endpoint of slice.endpoints ?? []) {
    const key = endpointKey(endpoint);
    const want = desired.get(key);
    if (want) {
      kept.push(want);
      updated ||= !endpointsEqualBeyondHash(want, endpoint);
      desired.delete(key);
    }
  }
  return { kept, endpointsChanged: updated || kept.length !== (slice.endpoints?.length ?? 0) };
}

/** Keeps wanted endpoints in place (updated where changed); sorts slices by what changed. */
function sortExisting(
  meta: FillMeta,
  existing: EndpointSlice[],
  desired: Map<string, SliceEndpoint>,
) {
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  for (const slice of existing) {
    const name = slice.metadata.name ?? '';
    byName.set(name, slice);
    const { kept, endpointsChanged } = keepWanted(slice, desired);
    const { labels, changed: labelsChanged } = sliceLabels(slice, meta.svc);
    if (endpointsChanged && kept.length === 0) {
      toDelete.add(name);
    } else if (endpointsChanged || labelsChanged) {
      // Cached objects are shared: change a copy.
      const copy = structuredClone(slice);
      copy.endpoints = kept;
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }
  return { byName, unchanged, toUpdate, toDelete };
}

/** reconcileByPortMapping for one port set. */
export function fillSlices(
  meta: FillMeta,
  existing: EndpointSlice[],
  group: DesiredGroup,
): { toCreate: EndpointSlice[]; toUpdate: EndpointSlice[]; toDelete: EndpointSlice[] } {
  const desired = new Map(group.endpoints);
  const { byName, unchanged, toUpdate, toDelete } = sortExisting(meta, existing, desired);
  if (desired.size > 0 && toUpdate.size > 0) {
    // Slices being written anyway take new endpoints first, fullest first.
    const changed = [...toUpdate].map((n) => byName.get(n)!);
    changed.sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    changed.forEach((slice) => fill(slice, desired, meta.max));
  }
  const toCreate: EndpointSlice[] = [];
  while (desired.size > 0) {
    let target: EndpointSlice | undefined;
    if (desired.size < meta.max && unchanged.size > 0) {
      const candidates = [...unchanged].map((n) => byName.get(n)!);
      const found = sliceToFill(candidates, desired.size, meta.max);
      target = found ? structuredClone(found) : undefined;
    }
    if (!target) {
      target = newEndpointSlice(meta.svc, group.ports, meta.addressType);
    }
    fill(target, desired, meta.max);
    const name = target.metadata.name;
    if (name) {
      byName.set(name, target);
      toUpdate.add(name);
      unchanged.delete(name);
    } else {
      toCreate.push(target);
    }
  }
  return {
    toCreate,
    toUpdate: [...toUpdate].map((n) => byName.get(n)!),
    toDelete: [...toDelete].map((n) => byName.get(n)!),
  };
}
