// The cluster DNS's view of the cluster: Services, EndpointSlices (grouped by their Service) and
// Namespaces from shared informers, the same list+watch the Service proxy's catalog uses.
import type { Service } from '../apis/core/v1/types.js';
import type { KubeObject } from '../apis/meta.js';
import type { Informer, SharedInformerFactory } from '../client/informer.js';
import { ENDPOINTSLICES, NAMESPACES, SERVICES } from '../client/resources.js';
import type { ClusterView, DnsEndpoint } from './types.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface SliceEndpoint {
  addresses?: string[] | null;
  hostname?: string | null;
  conditions?: { ready?: boolean | null } | null;
}

interface EndpointSlice extends KubeObject {
  endpoints?: SliceEndpoint[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

/** The ready endpoints of a set of slices; a nil ready condition counts as ready. */
export function endpointsOfSlices(slices: Iterable<EndpointSlice>): DnsEndpoint[] {
  const out: DnsEndpoint[] = [];
  for (const slice of slices) {
    const ports = (slice.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port ?? -1,
      protocol: p.protocol ?? '',
    }));
    const withSentinel = ports.length > 0 ? ports : [{ name: '', port: -1, protocol: '' }];
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) {
        continue;
      }
      for (const ip of ep.addresses ?? []) {
        out.push({ ip, hostname: ep.hostname ?? '', ports: withSentinel });
      }
    }
  }
  return out;
}

export class ClusterState implements ClusterView {
  private readonly services: Informer;
  private readonly slices: Informer;
  private readonly namespaces: Informer;
  /** `ns/service` -> slice name -> slice. */
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private modifiedSeconds: number;

  constructor(
    informers: SharedInformerFactory,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.modifiedSeconds = Math.floor(now().getTime() / 1000);
    const touch = (): void => this.touch();
    this.services = informers.informerFor(SERVICES);
    this.namespaces = informers.informerFor(NAMESPACES);
    this.slices = informers.informerFor(ENDPOINTSLICES);
    for (const informer of [this.services, this.namespaces]) {
      informer.addEventHandler({ onAdd: touch, onUpdate: touch, onDelete: touch });
    }
    this.slices.addEventHandler({
      onAdd: (s) => this.putSlice(s),
      onUpdate: (old, s) => {
        this.removeSlice(old);
        this.putSlice(s);
      },
      onDelete: (s) => this.removeSlice(s),
    });
  }

  get hasSynced(): boolean {
    return this.services.hasSynced && this.slices.hasSynced && this.namespaces.hasSynced;
  }

  async waitForSync(): Promise<void> {
    await Promise.all([this.services, this.slices, this.namespaces].map((i) => i.waitForSync()));
  }

  hasNamespace(namespace: string): boolean {
    return this.namespaces.get('', namespace.toLowerCase()) !== undefined;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.services.get(namespace.toLowerCase(), name.toLowerCase());
  }

  endpoints(namespace: string, name: string): DnsEndpoint[] {
    const key = `${namespace.toLowerCase()}/${name.toLowerCase()}`;
    return endpointsOfSlices(this.slicesByService.get(key)?.values() ?? []);
  }

  serial(): number {
    return this.modifiedSeconds;
  }

  private touch(): void {
    this.modifiedSeconds = Math.floor(this.now().getTime() / 1000);
  }

  private serviceKeyOf(slice: KubeObject): string | undefined {
    const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
  }

  private putSlice(slice: KubeObject): void {
    const key = this.serviceKeyOf(slice);
    if (key) {
      const slices = this.slicesByService.get(key) ?? new Map<string, EndpointSlice>();
      slices.set(slice.metadata.name ?? '', slice);
      this.slicesByService.set(key, slices);
    }
    this.touch();
  }

  private removeSlice(slice: KubeObject): void {
    const key = this.serviceKeyOf(slice);
    const slices = key ? this.slicesByService.get(key) : undefined;
    if (key && slices) {
      slices.delete(slice.metadata.name ?? '');
      if (slices.size === 0) {
        this.slicesByService.delete(key);
      }
    }
    this.touch();
  }
}
