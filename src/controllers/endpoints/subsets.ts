// The desired subsets of a Service's Endpoints: one address per selected pod and port, then
// repacked into the canonical layout and truncated at 1000 addresses (upstream
// endpoints_controller.go syncService, pkg/api/v1/endpoints/util.go RepackSubsets).
import type { Pod, Service } from '../../apis/core/v1/types.js';
import { isPodReady } from '../common/pod-util.js';
import {
  canonicalJSON,
  podIPOfFamily,
  resolveEndpointPort,
  serviceIPFamily,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './addresses.js';
import type { EndpointAddress, EndpointPort, EndpointSubset } from './types.js';

/** Addresses an Endpoints object holds at most; beyond, it is truncated and annotated. */
export const MAX_CAPACITY = 1000;

function podAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  const ip = podIPOfFamily(pod, serviceIPFamily(svc, pod));
  if (ip === undefined) {
    return undefined;
  }
  const address: EndpointAddress = {
    ip,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  };
  if (pod.spec?.nodeName) {
    address.nodeName = pod.spec.nodeName;
  }
  if (shouldSetHostname(pod, svc)) {
    address.hostname = pod.spec?.hostname ?? '';
  }
  return address;
}

function oneAddressSubset(address: EndpointAddress, ready: boolean, ports: EndpointPort[]) {
  const subset: EndpointSubset = ready
    ? { addresses: [address] }
    : { notReadyAddresses: [address] };
  if (ports.length > 0) {
    subset.ports = ports;
  }
  return subset;
}

/** One single-port subset per Service port the pod resolves. */
function podSubsets(svc: Service, pod: Pod, address: EndpointAddress, ready: boolean) {
  const subsets: EndpointSubset[] = [];
  for (const servicePort of svc.spec?.ports ?? []) {
    const port = resolveEndpointPort(pod, servicePort);
    if (port === undefined) {
      continue; // a named targetPort this pod does not declare
    }
    const epp: EndpointPort = { port, protocol: servicePort.protocol || 'TCP' };
    if (servicePort.name) {
      epp.name = servicePort.name;
    }
    if (servicePort.appProtocol) {
      epp.appProtocol = servicePort.appProtocol;
    }
    subsets.push(oneAddressSubset(address, ready, [epp]));
  }
  return subsets;
}

/** Every selected pod's address per Service port, repacked: what the Endpoints should hold. */
export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const hasPorts = (svc.spec?.ports ?? []).length > 0;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    const address = shouldPodBeInEndpoints(pod, publishNotReady) ? podAddress(svc, pod) : undefined;
    if (!address) {
      continue;
    }
    const ready = publishNotReady || isPodReady(pod);
    if (hasPorts) {
      subsets.push(...podSubsets(svc, pod, address, ready));
    } else if (svc.spec?.clusterIP === 'None') {
      // Headless Services may have no ports; their addresses still matter (DNS).
      subsets.push(oneAddressSubset(address, ready, []));
    }
  }
  return repackSubsets(subsets);
}

const addressKey = (a: EndpointAddress): string => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

/** LessEndpointAddress: by IP, then by target uid (no target first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) {
    return a.ip < b.ip ? -1 : 1;
  }
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) {
    return 0;
  }
  if (ua === undefined || (ub !== undefined && ua < ub)) {
    return -1;
  }
  return 1;
}

const byCanonical = <T>(a: T, b: T): number => {
  const ka = canonicalJSON(a);
  const kb = canonicalJSON(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

interface PortAddresses {
  port: EndpointPort | undefined;
  ready: Map<string, boolean>;
}

/** Maps each port to its addresses; not-ready wins when an address is listed both ways. */
function addressesByPort(subsets: EndpointSubset[], all: Map<string, EndpointAddress>) {
  const byPort = new Map<string, PortAddresses>();
  const add = (port: EndpointPort | undefined, address: EndpointAddress, ready: boolean) => {
    const key = addressKey(address);
    if (!all.has(key)) {
      all.set(key, address);
    }
    const portKey = port ? canonicalJSON(port) : '';
    let entry = byPort.get(portKey);
    if (!entry) {
      entry = { port, ready: new Map() };
      byPort.set(portKey, entry);
    }
    if (entry.ready.get(key) !== false) {
      entry.ready.set(key, ready);
    }
  };
  for (const subset of subsets) {
    // A subset without ports keeps its addresses under a port-less entry.
    const ports = subset.ports?.length ? subset.ports : [undefined];
    for (const port of ports) {
      subset.addresses?.forEach((a) => add(port, a, true));
      subset.notReadyAddresses?.forEach((a) => add(port, a, false));
    }
  }
  return byPort;
}

/** RepackSubsets: groups ports offered by the same addresses, in a canonical order. */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const all = new Map<string, EndpointAddress>();
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const entry of addressesByPort(subsets, all).values()) {
    const signature = [...entry.ready]
      .map(([k, r]) => `${k}\u0000${r}`)
      .sort()
      .join('\u0001');
    let group = groups.get(signature);
    if (!group) {
      group = { ready: entry.ready, ports: [] };
      groups.set(signature, group);
    }
    if (entry.port) {
      group.ports.push(entry.port);
    }
  }
  const final: EndpointSubset[] = [];
  for (const group of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of group.ready) {
      const address = all.get(key);
      if (address) {
        (isReady ? ready : notReady).push(address);
      }
    }
    const subset: EndpointSubset = {};
    if (ready.length > 0) {
      subset.addresses = ready.sort(compareAddresses);
    }
    if (notReady.length > 0) {
      subset.notReadyAddresses = notReady.sort(compareAddresses);
    }
    if (group.ports.length > 0) {
      subset.ports = group.ports.sort(byCanonical);
    }
    final.push(subset);
  }
  return final.sort(byCanonical);
}

const countAddresses = (subsets: EndpointSubset[], key: 'addresses' | 'notReadyAddresses') =>
  subsets.reduce((n, s) => n + (s[key]?.length ?? 0), 0);

/** Whether the subsets hold more addresses than MAX_CAPACITY. */
export function isOverCapacity(subsets: EndpointSubset[]): boolean {
  return (
    countAddresses(subsets, 'addresses') + countAddresses(subsets, 'notReadyAddresses') >
    MAX_CAPACITY
  );
}

/**
 * truncateEndpoints: keeps MAX_CAPACITY addresses, ready ones first, spread over the subsets in
 * proportion to their size (rounded up, so the last subsets may get fewer).
 */
export function truncateSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  if (!isOverCapacity(subsets)) {
    return subsets;
  }
  const totalReady = countAddresses(subsets, 'addresses');
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const total = truncateReady ? totalReady : countAddresses(subsets, 'notReadyAddresses');
  let canBeAdded = max;
  const out: EndpointSubset[] = [];
  for (const subset of subsets) {
    const pool = (truncateReady ? subset.addresses : subset.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((pool.length / total) * max), canBeAdded);
    const kept = pool.slice(0, share);
    canBeAdded -= kept.length;
    const next: EndpointSubset = { ...subset };
    const field = truncateReady ? 'addresses' : 'notReadyAddresses';
    if (truncateReady) {
      delete next.notReadyAddresses;
    }
    if (kept.length > 0) {
      next[field] = kept;
    } else {
      delete next[field];
    }
    // A subset left with no address at all would be invalid; drop it.
    if (next.addresses || next.notReadyAddresses) {
      out.push(next);
    }
  }
  return out;
}
