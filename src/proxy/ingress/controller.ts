// The ingress controller: creates the `kubeproc` IngressClass (the default class), claims the
// Ingresses of its classes (and, by default, `nginx` and class-less ones), rebuilds the router
// and TLS map on every change, opens HTTPS once TLS is used, and keeps their status current.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { INGRESSCLASSES, INGRESSES } from '../../client/resources.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import { DEFAULT_CLASS_ANNOTATION, INGRESS_CONTROLLER_NAME, OWN_INGRESS_CLASS } from '../config.js';
import { defaultCertificate } from './default-cert.js';
import { Router } from './router.js';
import type { IngressServer } from './server.js';
import { IngressStatusWriter, loadBalancerStatus } from './status.js';
import type { TlsStore } from './tls-store.js';
import type { Ingress, IngressClass, LoadBalancerIngress } from './types.js';
import { LEGACY_CLASS_ANNOTATION } from './types.js';

export interface IngressControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  server: IngressServer;
  tls: TlsStore;
  log: Logger;
  /** The address in status (the listen address, 127.0.0.1 for a wildcard one). */
  statusIp: string;
  listenAddress: string;
  httpsPort: number | undefined;
  extraClasses: string[];
  watchWithoutClass: boolean;
  /** Told the claimed Ingresses after every rebuild (the ingress workers get them). */
  onRoutes?: (claimed: Ingress[]) => void;
}

/** The class an Ingress asks for: spec.ingressClassName, else the legacy annotation. */
export function classOf(ing: Ingress): string {
  return ing.spec?.ingressClassName ?? ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] ?? '';
}

export class IngressController {
  private readonly tls: TlsStore;
  private readonly ingresses: Informer;
  private readonly classes: Informer;
  private readonly status: IngressStatusWriter;
  private isRebuildQueued = false;
  private httpsStarting: Promise<void> | undefined;
  private claimed = new Set<string>();

  constructor(private readonly deps: IngressControllerDeps) {
    this.ingresses = deps.informers.informerFor(INGRESSES);
    this.classes = deps.informers.informerFor(INGRESSCLASSES);
    this.tls = deps.tls;
    const rebuild = { onAdd: () => this.queueRebuild(), onUpdate: () => this.queueRebuild() };
    this.ingresses.addEventHandler({ ...rebuild, onDelete: () => this.queueRebuild() });
    this.classes.addEventHandler({ ...rebuild, onDelete: () => this.queueRebuild() });
    this.status = new IngressStatusWriter({
      client: deps.client,
      ingresses: this.ingresses,
      desired: (ing) => this.desiredStatus(ing),
      log: deps.log,
    });
  }

  /** Whether this controller serves the Ingress. */
  isClaimed(ing: Ingress): boolean {
    const cls = classOf(ing);
    if (cls === '') {
      return this.deps.watchWithoutClass;
    }
    if (cls === OWN_INGRESS_CLASS || this.deps.extraClasses.includes(cls)) {
      return true;
    }
    const ic: IngressClass | undefined = this.classes.get('', cls);
    return ic?.spec?.controller === INGRESS_CONTROLLER_NAME;
  }

  /** Creates our IngressClass, waits for the caches and builds the first routing table. */
  async init(): Promise<void> {
    await this.ensureIngressClass();
    await Promise.all([this.ingresses.waitForSync(), this.classes.waitForSync()]);
    this.rebuild();
  }

  /** Writes status until signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.status.start(signal);
    await this.httpsStarting;
  }

  private async ensureIngressClass(): Promise<void> {
    const { client } = this.deps;
    try {
      await client.get(INGRESSCLASSES, '', OWN_INGRESS_CLASS);
      return;
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
    try {
      await client.create(INGRESSCLASSES, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name: OWN_INGRESS_CLASS,
          annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
        },
        spec: { controller: INGRESS_CONTROLLER_NAME },
      });
    } catch (err) {
      if (!isAlreadyExists(err)) {
        throw err;
      }
    }
  }

  private queueRebuild(): void {
    if (this.isRebuildQueued) {
      return;
    }
    this.isRebuildQueued = true;
    // Coalesces a burst of events (the initial list, a kubectl apply of many objects) into one.
    setImmediate(() => {
      this.isRebuildQueued = false;
      this.rebuild();
    });
  }

  private rebuild(): void {
    const all = this.ingresses.list() as Ingress[];
    const claimed = all.filter((ing) => this.isClaimed(ing));
    this.deps.server.setRouter(Router.build(claimed));
    this.tls.update(claimed);
    this.deps.onRoutes?.(claimed);
    const now = new Set(claimed.map((ing) => keyOf(ing)));
    for (const ing of all) {
      const key = keyOf(ing);
      if (now.has(key) || this.claimed.has(key)) {
        this.status.enqueue(key);
      }
    }
    this.claimed = now;
    if (this.tls.isUsed && !this.httpsStarting) {
      this.httpsStarting = this.startHttps();
    }
  }

  private async startHttps(): Promise<void> {
    const { server, log } = this.deps;
    try {
      const cert = await defaultCertificate(new Date());
      const port = await server.listenHttps(this.deps.listenAddress, this.deps.httpsPort, cert);
      log.info({ port }, `ingress: HTTPS listening on ${this.deps.listenAddress}:${port}`);
      // Status carries the ports when they are not the standard ones.
      for (const key of this.claimed) {
        this.status.enqueue(key);
      }
    } catch (err) {
      log.error({ err }, 'ingress: cannot serve HTTPS');
    }
  }

  private desiredStatus(ing: Ingress): LoadBalancerIngress[] | null | undefined {
    const { server, statusIp } = this.deps;
    const ours = loadBalancerStatus(statusIp, server.httpPort ?? 80, server.httpsPort);
    if (this.isClaimed(ing)) {
      return ours;
    }
    // Clear only what we wrote: another controller may own this Ingress now.
    const have = ing.status?.loadBalancer?.ingress ?? [];
    return have.length > 0 && have.every((e) => e.ip === statusIp) ? null : undefined;
  }
}
