// What kubeproc tells its ingress workers, computed from its own informers: the Services with
// their EndpointSlices (one update per changed Service, sent on the next turn of the event loop,
// so an endpoint change reaches the workers within milliseconds), the claimed Ingresses, the
// Secrets they name for TLS, and the HTTPS listener once it opens.
import type { KubeObject } from '../../apis/meta.js';
import type { Informer } from '../../client/informer.js';
import type { ServiceCatalog } from '../backends/catalog.js';
import type { Ingress } from '../ingress/types.js';
import type { HttpsInfo, ServiceUpdate, Snapshot, ToWorker } from './protocol.js';
import { trimIngress, trimSecret, trimService, trimSlice } from './protocol.js';

export interface RoutingFeedDeps {
  catalog: ServiceCatalog;
  /** The Secrets informer the TLS store reads too. */
  secrets: Informer;
  /** Sends a message to every worker that has its snapshot. */
  broadcast: (message: ToWorker) => void;
}

/** `namespace/name` of every Secret the Ingresses name for TLS. */
export function tlsSecretRefs(ingresses: readonly Ingress[]): Set<string> {
  const refs = new Set<string>();
  for (const ing of ingresses) {
    for (const tls of ing.spec?.tls ?? []) {
      if (tls.secretName) {
        refs.add(`${ing.metadata.namespace ?? ''}/${tls.secretName}`);
      }
    }
  }
  return refs;
}

const refOf = (obj: KubeObject): string =>
  `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

export class RoutingFeed {
  private ingresses: Ingress[] = [];
  private secretRefs = new Set<string>();
  private https: HttpsInfo | undefined;
  private readonly dirty = new Set<string>();
  private isServicesQueued = false;
  private isSecretsQueued = false;

  constructor(private readonly deps: RoutingFeedDeps) {
    // Flushes wait for the next turn of the event loop: a burst (a re-list, a slice and its
    // Service) becomes one message.
    deps.catalog.onChange((key) => {
      this.dirty.add(key);
      if (!this.isServicesQueued) {
        this.isServicesQueued = true;
        setImmediate(() => this.flushServices());
      }
    });
    const secretChanged = (obj: KubeObject): void => {
      if (this.secretRefs.has(refOf(obj)) && !this.isSecretsQueued) {
        this.isSecretsQueued = true;
        setImmediate(() => this.flushSecrets());
      }
    };
    deps.secrets.addEventHandler({
      onAdd: secretChanged,
      onUpdate: (_old, obj) => secretChanged(obj),
      onDelete: secretChanged,
    });
  }

  /** The claimed Ingresses changed (the ingress controller rebuilt its routes). */
  setIngresses(claimed: readonly Ingress[]): void {
    this.ingresses = claimed.map(trimIngress);
    this.secretRefs = tlsSecretRefs(this.ingresses);
    this.deps.broadcast({ type: 'ingresses', ingresses: this.ingresses });
    this.deps.broadcast({ type: 'secrets', secrets: this.secrets() });
  }

  /** The HTTPS listener opened. */
  setHttps(https: HttpsInfo): void {
    this.https = https;
    this.deps.broadcast({ type: 'https', https });
  }

  /** Everything a new worker needs. */
  snapshot(): Snapshot {
    return {
      services: this.deps.catalog.serviceKeys().map((key) => this.update(key)),
      ingresses: this.ingresses,
      secrets: this.secrets(),
      ...(this.https ? { https: this.https } : {}),
    };
  }

  private flushServices(): void {
    this.isServicesQueued = false;
    const updates = [...this.dirty].map((key) => this.update(key));
    this.dirty.clear();
    if (updates.length > 0) {
      this.deps.broadcast({ type: 'services', updates });
    }
  }

  private flushSecrets(): void {
    this.isSecretsQueued = false;
    this.deps.broadcast({ type: 'secrets', secrets: this.secrets() });
  }

  private update(key: string): ServiceUpdate {
    const service = this.deps.catalog.service(key);
    const slices = this.deps.catalog.slices(key).map(trimSlice);
    return service ? { key, service: trimService(service), slices } : { key, slices };
  }

  private secrets(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const ref of this.secretRefs) {
      const slash = ref.indexOf('/');
      const secret = this.deps.secrets.get(ref.slice(0, slash), ref.slice(slash + 1));
      if (secret) {
        out.push(trimSecret(secret));
      }
    }
    return out;
  }
}
