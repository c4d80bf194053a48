// Services and their EndpointSlices from informers, turned into dialable backends per Service
// port. Like kube-proxy: ready endpoints only, or serving terminating ones when none is ready
// (ProxyTerminatingEndpoints). Changes are seen within a watch event, so within milliseconds.
import type { Service, ServicePort } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resources.js';
import type { Backend } from './types.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface SliceEndpoint {
  addresses?: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  targetRef?: { kind?: string; namespace?: string; name?: string };
}

/** The parts of an EndpointSlice the proxies read. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export interface ServiceCatalogDeps {
  informers: SharedInformerFactory;
  /** Called when an endpoint turns ready (again): its past failures no longer count. */
  onBackendReady?: (backendKey: string) => void;
}

function serviceKeyOfSlice(slice: KubeObject): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

function toBackend(ep: SliceEndpoint, port: number, namespace: string): Backend | undefined {
  const address = ep.addresses?.[0];
  if (!address) {
    return undefined;
  }
  const c = ep.conditions ?? {};
  // A nil ready means unknown, which consumers treat as ready; serving defaults to ready.
  const ready = c.ready !== false;
  const ref = ep.targetRef;
  return {
    key: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`,
    address,
    port,
    pod: ref?.kind === 'Pod' && ref.name ? `${ref.namespace ?? namespace}/${ref.name}` : '',
    ready,
    serving: c.serving ?? ready,
    terminating: c.terminating === true,
  };
}

/** Every endpoint of the slices for one Service port name, deduplicated by address:port. */
export function backendsFromSlices(slices: Iterable<EndpointSlice>, portName: string): Backend[] {
  const all = new Map<string, Backend>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
    if (!port) {
      continue;
    }
    for (const ep of slice.endpoints ?? []) {
      const b = toBackend(ep, port, slice.metadata.namespace ?? '');
      if (b && !all.has(b.key)) {
        all.set(b.key, b);
      }
    }
  }
  return [...all.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Every ready endpoint's address:port, over all ports of the slices. */
export function readyKeysOf(slices: Iterable<EndpointSlice>): Set<string> {
  const keys = new Set<string>();
  for (const slice of slices) {
    const names = (slice.ports ?? []).map((p) => p.name ?? '');
    const backends = names.flatMap((name) => backendsFromSlices([slice], name));
    backends.filter((b) => b.ready).forEach((b) => keys.add(b.key));
  }
  return keys;
}

/** kube-proxy's choice: the ready backends, else the serving terminating ones. */
export function eligibleBackends(backends: readonly Backend[]): Backend[] {
  const ready = backends.filter((b) => b.ready);
  return ready.length > 0 ? ready : backends.filter((b) => b.serving && b.terminating);
}

export class ServiceCatalog {
  private readonly services: Informer;
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  /** service key -> port name -> eligible backends; dropped on any change to that service. */
  private readonly cache = new Map<string, Map<string, Backend[]>>();
  private readonly readyKeys = new Map<string, Set<string>>();
  private readonly listeners: ((serviceKey: string) => void)[] = [];

  constructor(private readonly deps: ServiceCatalogDeps) {
    this.services = deps.informers.informerFor(SERVICES);
    this.services.addEventHandler({
      onAdd: (svc) => this.changed(keyOf(svc)),
      onUpdate: (_old, svc) => this.changed(keyOf(svc)),
      onDelete: (svc) => this.changed(keyOf(svc)),
    });
    deps.informers.informerFor(ENDPOINTSLICES).addEventHandler({
      onAdd: (s) => this.putSlice(s),
      onUpdate: (old, s) => {
        if (serviceKeyOfSlice(old) !== serviceKeyOfSlice(s)) {
          this.removeSlice(old);
        }
        this.putSlice(s);
      },
      onDelete: (s) => this.removeSlice(s),
    });
  }

  /** Calls listener with the Service key after any change to a Service or its slices. */
  onChange(listener: (serviceKey: string) => void): void {
    this.listeners.push(listener);
  }

  waitForSync(): Promise<void> {
    return this.services.waitForSync();
  }

  service(key: string): Service | undefined {
    const slash = key.indexOf('/');
    return this.services.get(key.slice(0, slash), key.slice(slash + 1));
  }

  allServices(): Service[] {
    return this.services.list();
  }

  /** Every Service key known: Services and Services that only have slices so far. */
  serviceKeys(): string[] {
    const keys = new Set(this.services.list().map((svc) => keyOf(svc)));
    for (const key of this.slicesByService.keys()) {
      keys.add(key);
    }
    return [...keys];
  }

  /** The EndpointSlices of a Service as the informer holds them. */
  slices(serviceKey: string): EndpointSlice[] {
    return [...(this.slicesByService.get(serviceKey)?.values() ?? [])];
  }

  /** The backends to use now for a Service port (by its name, '' for an unnamed port). */
  backends(serviceKey: string, portName: string): readonly Backend[] {
    let ports = this.cache.get(serviceKey);
    if (!ports) {
      ports = new Map();
      this.cache.set(serviceKey, ports);
    }
    let list = ports.get(portName);
    if (!list) {
      const slices = this.slicesByService.get(serviceKey)?.values() ?? [];
      list = eligibleBackends(backendsFromSlices(slices, portName));
      ports.set(portName, list);
    }
    return list;
  }

  private putSlice(slice: KubeObject): void {
    const key = serviceKeyOfSlice(slice);
    if (!key) {
      return;
    }
    let slices = this.slicesByService.get(key);
    if (!slices) {
      slices = new Map();
      this.slicesByService.set(key, slices);
    }
    slices.set(slice.metadata.name ?? '', slice);
    this.changed(key);
  }

  private removeSlice(slice: KubeObject): void {
    const key = serviceKeyOfSlice(slice);
    const slices = key ? this.slicesByService.get(key) : undefined;
    if (!key || !slices) {
      return;
    }
    slices.delete(slice.metadata.name ?? '');
    if (slices.size === 0) {
      this.slicesByService.delete(key);
    }
    this.changed(key);
  }

  private changed(serviceKey: string): void {
    this.cache.delete(serviceKey);
    this.noticeNewlyReady(serviceKey);
    for (const listener of this.listeners) {
      listener(serviceKey);
    }
  }

  private noticeNewlyReady(serviceKey: string): void {
    const now = readyKeysOf(this.slicesByService.get(serviceKey)?.values() ?? []);
    const before = this.readyKeys.get(serviceKey);
    for (const key of now) {
      if (!before?.has(key)) {
        this.deps.onBackendReady?.(key);
      }
    }
    if (now.size > 0) {
      this.readyKeys.set(serviceKey, now);
    } else {
      this.readyKeys.delete(serviceKey);
    }
  }

  /** The Service port an Ingress backend or listener names: by number or by name. */
  static findPort(svc: Service, ref: { number?: number; name?: string }): ServicePort | undefined {
    const ports = svc.spec?.ports ?? [];
    return ref.name
      ? ports.find((p) => p.name === ref.name)
      : ports.find((p) => p.port === ref.number);
  }
}
