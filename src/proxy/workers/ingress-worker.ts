// One ingress worker's data path, fed by kubeproc's messages: a mirror of the Services and
// their endpoints, the router and TLS store rebuilt from the claimed Ingresses, and an
// IngressServer serving the connections kubeproc hands over. Retries, ejection and round-robin
// state are this worker's own; its stats go back as changes.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { PassiveHealth } from '../backends/health.js';
import { PickerRegistry } from '../backends/pickers.js';
import type { ProxyLimits } from '../config.js';
import { HttpForwarder } from '../http/forwarder.js';
import { UpstreamPool } from '../http/upstream.js';
import { UpgradeForwarder } from '../http/upgrade.js';
import { Router } from '../ingress/router.js';
import { IngressServer } from '../ingress/server.js';
import { TlsStore } from '../ingress/tls-store.js';
import type { Ingress } from '../ingress/types.js';
import { TrafficStats } from '../stats/proxy-stats.js';
import { MirrorCatalog, SecretMirror } from './mirror-catalog.js';
import type { FromWorker, Snapshot, ToWorker } from './protocol.js';

/** Pod series without traffic for this long are dropped (as in the main process). */
const POD_SERIES_IDLE_MS = 15 * 60_000;

export interface IngressWorkerDeps {
  limits: ProxyLimits;
  log: Logger;
  send: (message: FromWorker) => void;
}

export class IngressWorker {
  private readonly health: PassiveHealth;
  private readonly catalog: MirrorCatalog;
  private readonly pickers: PickerRegistry;
  private readonly secrets = new SecretMirror();
  private readonly tls: TlsStore;
  private readonly stats = new TrafficStats();
  private readonly upstreams: UpstreamPool;
  private readonly server: IngressServer;

  constructor(private readonly deps: IngressWorkerDeps) {
    const { limits, log } = deps;
    const health = new PassiveHealth(limits.ejectBaseMs, limits.ejectMaxMs);
    this.health = health;
    this.catalog = new MirrorCatalog((key) => health.reset(key));
    this.pickers = new PickerRegistry(health);
    this.catalog.onChange((key) => {
      if (!this.catalog.service(key)) {
        this.pickers.dropService(key);
      }
    });
    this.tls = new TlsStore(this.secrets, log);
    this.upstreams = new UpstreamPool(limits);
    const stats = this.stats;
    this.server = new IngressServer({
      catalog: this.catalog,
      pickers: this.pickers,
      forwarder: new HttpForwarder({ health, stats, upstreams: this.upstreams, limits }),
      upgrades: new UpgradeForwarder({ health, stats, limits }),
      tls: this.tls,
      limits,
      log,
    });
  }

  /** Applies the first snapshot; the worker serves from then on. */
  load(snapshot: Snapshot): void {
    this.catalog.apply(snapshot.services);
    this.secrets.replace(snapshot.secrets);
    this.route(snapshot.ingresses);
    if (snapshot.https) {
      this.server.serveHttps(snapshot.https.port, snapshot.https);
    }
  }

  /** Handles one message from kubeproc (the socket comes with 'connection'). */
  handle(message: ToWorker, socket?: Socket): void {
    switch (message.type) {
      case 'services':
        this.catalog.apply(message.updates);
        break;
      case 'ingresses':
        this.route(message.ingresses);
        break;
      case 'secrets':
        this.secrets.replace(message.secrets);
        break;
      case 'https':
        this.server.serveHttps(message.https.port, message.https);
        break;
      case 'connection':
        if (socket) {
          this.server.accept(socket, message.proto);
        }
        break;
      case 'init':
      case 'stop':
        // The runtime handles these (it owns the process).
        break;
    }
  }

  /** Sends what changed in the stats since the last report, if anything did. */
  report(): void {
    const changes = this.stats.changes();
    if (changes.length > 0) {
      this.deps.send({ type: 'stats', changes });
    }
  }

  /** Periodic cleanup: idle connections, old ejections, idle pod series. */
  sweep(): void {
    this.upstreams.sweep();
    this.health.sweep(Date.now());
    this.stats.prune(POD_SERIES_IDLE_MS);
  }

  /** Closes every connection, to clients and to backends. */
  async close(): Promise<void> {
    await this.server.close();
    this.upstreams.destroy();
  }

  private route(ingresses: Ingress[]): void {
    this.server.setRouter(Router.build(ingresses));
    this.tls.update(ingresses);
  }
}
