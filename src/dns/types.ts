// What the cluster DNS answers from: a read-only view of Services, their ready endpoints and the
// namespaces (kept by informers in cluster-state.ts), and the records the lookups produce.
import type { Service } from '../apis/core/v1/types.js';

/** One ready address of a Service's EndpointSlices, with the slice's ports. */
export interface DnsEndpoint {
  ip: string;
  /** endpoints[].hostname, '' when unset. */
  hostname: string;
  /** The slice's ports; a port of -1 stands for a slice without ports (as CoreDNS does). */
  ports: { name: string; port: number; protocol: string }[];
}

export interface ClusterView {
  hasNamespace(namespace: string): boolean;
  service(namespace: string, name: string): Service | undefined;
  /** Ready (or unknown-readiness) endpoints of the Service's EndpointSlices. */
  endpoints(namespace: string, name: string): DnsEndpoint[];
  /** The SOA serial: when the view last changed, in Unix seconds. */
  serial(): number;
}

/** One answer of the Kubernetes lookup: an address (A/AAAA) or a name (CNAME) under a DNS name. */
export interface DnsItem {
  /** An IP address, or a host name for ExternalName Services. */
  host: string;
  /** -1 when the Service or slice declares no ports. */
  port: number;
  /** The owner name of the record (the SRV target): `svc.ns.svc.zone`, `host.svc.ns.svc.zone`. */
  owner: string;
}

/** A lookup outcome: NameError means NXDOMAIN, an empty list with no error means NODATA. */
export type LookupResult = { items: DnsItem[]; isNameError: false } | { isNameError: true };
