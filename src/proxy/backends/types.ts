// One dialable backend of a Service port, as the proxies see it: an EndpointSlice endpoint's
// first address with the slice's port for that Service port (a real host port in host mode).
import type { Service } from '../../apis/core/v1/types.js';

export interface Backend {
  /** `address:port`, the identity used for health, agents and affinity. */
  key: string;
  address: string;
  port: number;
  /** `namespace/name` of the pod behind the endpoint ('' when the slice names none). */
  pod: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** A Service port the proxies forward to: the Service key and the port's name ('' if unnamed). */
export interface Target {
  service: string;
  portName: string;
}

/** The pod's name for stats and metrics ('-' when the endpoint names no pod). */
export function podNameOf(b: Backend): string {
  return b.pod ? b.pod.slice(b.pod.indexOf('/') + 1) : '-';
}

/** What routing reads of the Service catalog (the informer-fed one, or a worker's mirror). */
export interface ServiceLookup {
  service(key: string): Service | undefined;
  backends(serviceKey: string, portName: string): readonly Backend[];
}
