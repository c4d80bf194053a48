// One pod as an EndpointSlice endpoint, a Service's ports as slice ports, and the labels and
// owner a controller-made slice carries (upstream k8s.io/endpointslice utils.go).
import type { Pod, Service } from '../../apis/core/v1/types.js';
import { newControllerRef } from '../common/owner-refs.js';
import { isPodReady } from '../common/pod-util.js';
import {
  canonicalJSON,
  HEADLESS_LABEL,
  isIPv6,
  isServiceIPSet,
  podIPs,
  resolveEndpointPort,
  semanticEqual,
  shouldSetHostname,
} from '../endpoints/addresses.js';
import type { AddressType, EndpointSlice, SliceEndpoint, SlicePort } from './types.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

/** podToEndpoint: ready never true while terminating, unless publishNotReadyAddresses. */
export function podToEndpoint(pod: Pod, svc: Service, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  };
  if (pod.spec?.nodeName) {
    endpoint.nodeName = pod.spec.nodeName;
  }
  if (shouldSetHostname(pod, svc)) {
    endpoint.hostname = pod.spec?.hostname ?? '';
  }
  return endpoint;
}

/** getEndpointPorts: each Service port this pod resolves, at its (host) port number. */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const servicePort of svc.spec?.ports ?? []) {
    const port = resolveEndpointPort(pod, servicePort);
    if (port === undefined) {
      continue;
    }
    const slicePort: SlicePort = {
      name: servicePort.name ?? '',
      port,
      protocol: servicePort.protocol || 'TCP',
    };
    if (servicePort.appProtocol) {
      slicePort.appProtocol = servicePort.appProtocol;
    }
    ports.push(slicePort);
  }
  return ports;
}

/** The slice address types a Service wants, from spec.ipFamilies (clusterIP, both as fallback). */
export function addressTypesForService(svc: Service): AddressType[] {
  const families = (svc.spec?.ipFamilies ?? []).filter(
    (f): f is AddressType => f === 'IPv4' || f === 'IPv6',
  );
  if (families.length > 0) {
    return [...new Set(families)];
  }
  if (isServiceIPSet(svc)) {
    return [isIPv6(svc.spec?.clusterIP ?? '') ? 'IPv6' : 'IPv4'];
  }
  return ['IPv4', 'IPv6'];
}

/** Identifies an endpoint across syncs: addresses, hostname and target pod (hashEndpoint). */
export function endpointKey(endpoint: SliceEndpoint): string {
  return JSON.stringify([
    [...endpoint.addresses].sort(),
    endpoint.hostname ?? '',
    endpoint.targetRef?.namespace ?? '',
    endpoint.targetRef?.name ?? '',
  ]);
}

/** Identifies a set of ports regardless of order (NewPortMapKey). */
export function portMapKey(ports: SlicePort[] | null | undefined): string {
  return JSON.stringify((ports ?? []).map((p) => canonicalJSON(p)).sort());
}

/** EndpointsEqualBeyondHash: nodeName, zone, conditions and targetRef (its version ignored). */
export function endpointsEqualBeyondHash(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const ref = (e: SliceEndpoint) => ({ ...e.targetRef, resourceVersion: undefined });
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    semanticEqual(ref(a), ref(b))
  );
}

const RESERVED_LABELS = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, HEADLESS_LABEL]);

function unreserved(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !RESERVED_LABELS.has(k)));
}

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; changed is the mirror. */
export function sliceLabels(
  slice: EndpointSlice | undefined,
  svc: Service,
): { labels: Record<string, string>; changed: boolean } {
  const labels = unreserved(svc.metadata.labels);
  const changed = !semanticEqual(unreserved(slice?.metadata.labels), labels);
  if (!isServiceIPSet(svc)) {
    labels[HEADLESS_LABEL] = '';
  }
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/** A new, unnamed slice for svc: generateName `<svc>-`, owned by the Service. */
export function newEndpointSlice(
  svc: Service,
  ports: SlicePort[],
  addressType: AddressType,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name ?? ''}-`,
      namespace: svc.metadata.namespace ?? '',
      labels: sliceLabels(undefined, svc).labels,
      ownerReferences: [newControllerRef(svc, 'v1', 'Service')],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/** Whether the slice has an ownerReference to this very Service (by uid). */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some(
    (o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1',
  );
}
