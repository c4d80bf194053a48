// The messages between kubeproc and its ingress workers (child processes on the IPC channel):
// the routing snapshot and its changes one way, accepted connections (as handles) too; stats,
// logs and readiness the other way. Objects are trimmed to what the data path reads.
import type { Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { EndpointSlice } from '../backends/catalog.js';
import type { ProxyLimits } from '../config.js';
import type { KeyPair } from '../ingress/default-cert.js';
import type { Ingress } from '../ingress/types.js';
import type { SeriesSnapshot } from '../stats/proxy-stats.js';

export type Proto = 'http' | 'https';

/** A Service as it is now: gone (no service, no slices) or its spec and every slice. */
export interface ServiceUpdate {
  key: string;
  service?: Service;
  slices: EndpointSlice[];
}

/** The HTTPS listener kubeproc opened: its port (for redirects) and the default certificate. */
export interface HttpsInfo extends KeyPair {
  port: number;
}

/** Everything a worker needs to serve, sent once when it starts. */
export interface Snapshot {
  services: ServiceUpdate[];
  ingresses: Ingress[];
  secrets: KubeObject[];
  https?: HttpsInfo;
}

export type ToWorker =
  | { type: 'init'; worker: number; limits: ProxyLimits; logLevel: string; snapshot: Snapshot }
  | { type: 'services'; updates: ServiceUpdate[] }
  /** The claimed Ingresses, all of them. */
  | { type: 'ingresses'; ingresses: Ingress[] }
  /** Every Secret a claimed Ingress names for TLS that exists. */
  | { type: 'secrets'; secrets: KubeObject[] }
  | { type: 'https'; https: HttpsInfo }
  /** Sent with the accepted socket as the handle. */
  | { type: 'connection'; proto: Proto }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  /** TrafficStats.changes() since the previous report. */
  | { type: 'stats'; changes: SeriesSnapshot[] }
  /** One pino record (parsed JSON line). */
  | { type: 'log'; record: Record<string, unknown> }
  /** Connections closed and the last stats sent: the worker exits next. */
  | { type: 'stopped' };

/** A Service reduced to what routing reads: identity, type and ports. */
export function trimService(svc: Service): Service {
  const { name, namespace } = svc.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: svc.spec?.type, ports: svc.spec?.ports },
  };
}

/** A slice reduced to its Service label, ports and endpoints. */
export function trimSlice(slice: EndpointSlice): EndpointSlice {
  const { name, namespace, labels } = slice.metadata;
  return {
    metadata: { name, namespace, labels },
    addressType: slice.addressType,
    ports: slice.ports,
    endpoints: slice.endpoints,
  };
}

/** An Ingress reduced to what the router and the TLS store read. */
export function trimIngress(ing: Ingress): Ingress {
  const { name, namespace, creationTimestamp, annotations } = ing.metadata;
  return { metadata: { name, namespace, creationTimestamp, annotations }, spec: ing.spec };
}

/** A Secret reduced to its identity, version, type and TLS pair. */
export function trimSecret(secret: KubeObject): KubeObject {
  const { name, namespace, resourceVersion } = secret.metadata;
  const s = secret as KubeObject & { type?: string; data?: Record<string, string> };
  const data: Record<string, string> = {};
  for (const k of ['tls.crt', 'tls.key']) {
    const v = s.data?.[k];
    if (v !== undefined) {
      data[k] = v;
    }
  }
  return { metadata: { name, namespace, resourceVersion }, type: s.type, data };
}
