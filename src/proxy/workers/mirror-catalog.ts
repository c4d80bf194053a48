// An ingress worker's copy of the Service catalog: Services and their EndpointSlices as kubeproc
// sends them (one update per changed Service), with the same backend choice and readiness
// notices as the informer-fed catalog, and the Secrets the TLS store reads.
import type { Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Lister } from '../../client/informer.js';
import { backendsFromSlices, eligibleBackends, readyKeysOf } from '../backends/catalog.js';
import type { EndpointSlice } from '../backends/catalog.js';
import type { Backend, ServiceLookup } from '../backends/types.js';
import type { ServiceUpdate } from './protocol.js';

export class MirrorCatalog implements ServiceLookup {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice[]>();
  /** service key -> port name -> eligible backends; dropped when the Service is updated. */
  private readonly cache = new Map<string, Map<string, Backend[]>>();
  private readonly readyKeys = new Map<string, Set<string>>();
  private readonly listeners: ((serviceKey: string) => void)[] = [];

  /** onBackendReady: an endpoint turned ready (again), so its past failures no longer count. */
  constructor(private readonly onBackendReady?: (backendKey: string) => void) {}

  /** Replaces what is known of each updated Service. */
  apply(updates: readonly ServiceUpdate[]): void {
    for (const u of updates) {
      if (u.service) {
        this.services.set(u.key, u.service);
      } else {
        this.services.delete(u.key);
      }
      if (u.slices.length > 0) {
        this.slices.set(u.key, u.slices);
      } else {
        this.slices.delete(u.key);
      }
      this.cache.delete(u.key);
      this.noticeNewlyReady(u.key, u.slices);
      for (const listener of this.listeners) {
        listener(u.key);
      }
    }
  }

  onChange(listener: (serviceKey: string) => void): void {
    this.listeners.push(listener);
  }

  service(key: string): Service | undefined {
    return this.services.get(key);
  }

  backends(serviceKey: string, portName: string): readonly Backend[] {
    let ports = this.cache.get(serviceKey);
    if (!ports) {
      ports = new Map();
      this.cache.set(serviceKey, ports);
    }
    let list = ports.get(portName);
    if (!list) {
      list = eligibleBackends(backendsFromSlices(this.slices.get(serviceKey) ?? [], portName));
      ports.set(portName, list);
    }
    return list;
  }

  private noticeNewlyReady(serviceKey: string, slices: readonly EndpointSlice[]): void {
    const now = readyKeysOf(slices);
    const before = this.readyKeys.get(serviceKey);
    for (const key of now) {
      if (!before?.has(key)) {
        this.onBackendReady?.(key);
      }
    }
    if (now.size > 0) {
      this.readyKeys.set(serviceKey, now);
    } else {
      this.readyKeys.delete(serviceKey);
    }
  }
}

/** The Secrets kubeproc sent (those claimed Ingresses name for TLS), for the TLS store. */
export class SecretMirror implements Lister {
  private secrets = new Map<string, KubeObject>();

  /** Replaces the whole set. */
  replace(secrets: readonly KubeObject[]): void {
    this.secrets = new Map(
      secrets.map((s) => [`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`, s]),
    );
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.secrets.values()];
    return namespace === undefined ? all : all.filter((s) => s.metadata.namespace === namespace);
  }
}
