// The EndpointSlice reconcile as a pure plan: which slices to create, update and delete so a
// Service's pods are listed once each, grouped by port set, at most N per slice
// (upstream k8s.io/endpointslice reconciler.go; no topology hints or traffic distribution).
import type { Pod, Service } from '../../apis/core/v1/types.js';
import {
  formatRFC3339Nano,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION,
  semanticEqual,
  shouldPodBeInEndpoints,
} from '../endpoints/addresses.js';
import {
  addressTypesForService,
  endpointKey,
  endpointPorts,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  portMapKey,
} from './endpoint.js';
import { fillSlices } from './fill.js';
import type { DesiredGroup } from './fill.js';
import type { AddressType, EndpointSlice, SliceEndpoint } from './types.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  toDelete: EndpointSlice[];
}

export interface ReconcileInput {
  service: Service;
  pods: Pod[];
  /** The Service's slices managed by this controller, not pending deletion. */
  existing: EndpointSlice[];
  /** Epoch ms for the last-change-trigger-time annotation; 0 removes it. */
  triggerMs: number;
  maxEndpointsPerSlice?: number;
}

function desiredGroups(svc: Service, pods: Pod[], addressType: AddressType) {
  const groups = new Map<string, DesiredGroup>();
  for (const pod of pods) {
    // Terminating pods stay listed, with conditions saying so.
    if (!shouldPodBeInEndpoints(pod, true)) {
      continue;
    }
    const endpoint = podToEndpoint(pod, svc, addressType);
    if (endpoint.addresses.length === 0) {
      continue;
    }
    const ports = endpointPorts(svc, pod);
    const key = portMapKey(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, endpoints: new Map<string, SliceEndpoint>() };
      groups.set(key, group);
    }
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
}

/** The placeholder a Service with no endpoints keeps, so consumers see "none" rather than "?" */
function isPlaceholder(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    semanticEqual(slice.metadata.labels, placeholder.metadata.labels) &&
    semanticEqual(slice.metadata.ownerReferences, placeholder.metadata.ownerReferences) &&
    slice.addressType === placeholder.addressType &&
    semanticEqual(slice.endpoints, []) &&
    semanticEqual(slice.ports, [])
  );
}

function reconcileByAddressType(
  input: ReconcileInput,
  existing: EndpointSlice[],
  addressType: AddressType,
): SlicePlan {
  const { service: svc } = input;
  const plan: SlicePlan = { toCreate: [], toUpdate: [], toDelete: [] };
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of existing) {
    if (ownedBy(slice, svc)) {
      const key = portMapKey(slice.ports);
      existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
    } else {
      plan.toDelete.push(slice); // left by an earlier Service of the same name
    }
  }
  const max = input.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const desired = desiredGroups(svc, input.pods, addressType);
  for (const [key, group] of desired) {
    const meta = { svc, addressType, max };
    const result = fillSlices(meta, existingByPorts.get(key) ?? [], group);
    plan.toCreate.push(...result.toCreate);
    plan.toUpdate.push(...result.toUpdate);
    plan.toDelete.push(...result.toDelete);
  }
  for (const [key, slices] of existingByPorts) {
    if (!desired.has(key)) {
      plan.toDelete.push(...slices);
    }
  }
  if (existing.length === plan.toDelete.length && plan.toCreate.length === 0) {
    keepPlaceholder(plan, svc, addressType);
  }
  return plan;
}

/** Nothing would remain: keep the one existing placeholder, or create one. */
function keepPlaceholder(plan: SlicePlan, svc: Service, addressType: AddressType): void {
  const placeholder = newEndpointSlice(svc, [], addressType);
  const only = plan.toDelete.length === 1 ? plan.toDelete[0] : undefined;
  if (only && isPlaceholder(only, placeholder)) {
    plan.toDelete = [];
  } else {
    plan.toCreate.push(placeholder);
  }
}

function annotate(slice: EndpointSlice, triggerMs: number): void {
  const annotations = { ...(slice.metadata.annotations ?? {}) };
  if (triggerMs > 0) {
    annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = formatRFC3339Nano(triggerMs);
  } else {
    delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
  }
  slice.metadata.annotations = annotations;
}

/** finalize: creates reuse slices about to be deleted (same owner and address type). */
function finalize(plan: SlicePlan, input: ReconcileInput): SlicePlan {
  const toCreate = [...plan.toCreate];
  const toUpdate = [...plan.toUpdate];
  const toDelete: EndpointSlice[] = [];
  for (const doomed of plan.toDelete) {
    const last = toCreate[toCreate.length - 1];
    if (last && doomed.addressType === last.addressType && ownedBy(doomed, input.service)) {
      toCreate.pop();
      const { generateName: _unused, ...meta } = last.metadata;
      const name = doomed.metadata.name ?? '';
      const resourceVersion = doomed.metadata.resourceVersion ?? '';
      toUpdate.push({ ...last, metadata: { ...meta, name, resourceVersion } });
    } else {
      toDelete.push(doomed);
    }
  }
  // No new slices for a Service being deleted: the garbage collector would race us.
  const creates = input.service.metadata.deletionTimestamp ? [] : toCreate;
  creates.forEach((s) => annotate(s, input.triggerMs));
  toUpdate.forEach((s) => annotate(s, input.triggerMs));
  return { toCreate: creates, toUpdate, toDelete };
}

/** Reconcile: the writes that make the Service's slices list exactly its pods. */
export function reconcileSlices(input: ReconcileInput): SlicePlan {
  const types = addressTypesForService(input.service);
  const plan: SlicePlan = { toCreate: [], toUpdate: [], toDelete: [] };
  const byType = new Map<string, EndpointSlice[]>();
  for (const slice of input.existing) {
    const type = slice.addressType ?? '';
    if ((types as string[]).includes(type)) {
      byType.set(type, [...(byType.get(type) ?? []), slice]);
    } else {
      plan.toDelete.push(slice);
    }
  }
  for (const type of types) {
    const part = reconcileByAddressType(input, byType.get(type) ?? [], type);
    plan.toCreate.push(...part.toCreate);
    plan.toUpdate.push(...part.toUpdate);
    plan.toDelete.push(...part.toDelete);
  }
  return finalize(plan, input);
}
