// Defaulting of Namespace, Secret (stringData folded into data), Endpoints and Node
// (pkg/apis/core/v1/defaults.go and the namespace registry's PrepareForCreate).
import type { KubeObject } from '../../meta.js';
import { canonicalizeResourceList } from '../../validation/quantity.js';

/** Namespace: the metadata.name label, the `kubernetes` finalizer, phase Active. */
export function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (name) {
    ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': name };
  }
  const spec = (ns.spec ?? {}) as { finalizers?: string[] };
  // Once deleting, the finalizers belong to the namespace controller; never put one back.
  if (spec.finalizers === undefined && !ns.metadata.deletionTimestamp) {
    spec.finalizers = ['kubernetes'];
  }
  ns.spec = spec;
  const status = (ns.status ?? {}) as { phase?: string };
  status.phase ||= 'Active';
  ns.status = status;
}

/** Secret: type Opaque; stringData merged into data (base64) and dropped, as v1 conversion does. */
export function defaultSecret(secret: KubeObject): void {
  if (!secret.type) {
    secret.type = 'Opaque';
  }
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  if (stringData && typeof stringData === 'object') {
    const data = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) {
      data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    }
    secret.data = data;
  }
  delete secret.stringData;
}

/** Endpoints: each subset port's protocol defaults to TCP. */
export function defaultEndpoints(ep: KubeObject): void {
  for (const subset of (ep.subsets as { ports?: { protocol?: string }[] }[] | undefined) ?? []) {
    for (const port of subset.ports ?? []) {
      port.protocol ||= 'TCP';
    }
  }
}

/** Node: allocatable defaults to capacity; quantities canonical. */
export function defaultNode(node: KubeObject): void {
  const status = node.status as
    { capacity?: Record<string, unknown>; allocatable?: Record<string, unknown> } | undefined;
  if (!status) {
    return;
  }
  if (status.capacity && !status.allocatable) {
    status.allocatable = { ...status.capacity };
  }
  canonicalizeResourceList(status.capacity);
  canonicalizeResourceList(status.allocatable);
}
