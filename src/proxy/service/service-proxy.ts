// The Service proxy (kube-proxy's job in host mode): a TCP listener per ClusterIP port and node
// port, each connection spliced to a ready backend picked round-robin (or by ClientIP affinity);
// a backend that refuses or times out is ejected and the next one tried. Listeners follow the
// Services within a watch event; a port that cannot be bound is retried every few seconds.
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ServiceCatalog } from '../backends/catalog.js';
import type { PassiveHealth } from '../backends/health.js';
import type { PickerRegistry } from '../backends/pickers.js';
import type { Backend } from '../backends/types.js';
import { podNameOf } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import { clientIpOf } from '../http/headers.js';
import type { TrafficScope, TrafficStats } from '../stats/proxy-stats.js';
import type { Binding, ListenerSpec } from './listeners.js';
import { desiredListeners } from './listeners.js';

const REBIND_MS = 5_000;

export interface ServiceProxyDeps {
  catalog: ServiceCatalog;
  pickers: PickerRegistry;
  health: PassiveHealth;
  stats: TrafficStats;
  limits: ProxyLimits;
  log: Logger;
  nodePortAddress: string;
  /** Makes a ClusterIP bindable first (see ServiceProxyConfig.claimAddress). */
  claimAddress?: (ip: string) => Promise<void>;
  /** Listener keys (`address:port`) served elsewhere in kubeproc, never bound here. */
  reserved?: Set<string>;
}

interface Listener {
  spec: ListenerSpec;
  server?: Server;
  /** The last bind error code, reported once until it changes. */
  failure?: string;
}

export class ServiceProxy {
  private readonly listeners = new Map<string, Listener>();
  private readonly connections = new Set<Socket>();
  private isQueued = false;
  private isStopped = false;

  constructor(private readonly deps: ServiceProxyDeps) {
    deps.catalog.onChange(() => this.queueReconcile());
  }

  /** Addresses listened on now, `address:port`. */
  get listening(): string[] {
    return [...this.listeners].filter(([, l]) => l.server?.listening).map(([k]) => k);
  }

  /** Serves until signal aborts, then closes every listener and connection. */
  async start(signal: AbortSignal): Promise<void> {
    await this.deps.catalog.waitForSync();
    this.reconcile();
    const timer = setInterval(() => this.rebindFailed(), REBIND_MS);
    timer.unref();
    await new Promise<void>((resolve) => {
      if (signal.aborted) {
        resolve();
      }
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(timer);
    this.isStopped = true;
    for (const l of this.listeners.values()) {
      l.server?.close();
    }
    for (const c of this.connections) {
      c.destroy();
    }
  }

  private queueReconcile(): void {
    if (this.isQueued || this.isStopped) {
      return;
    }
    this.isQueued = true;
    setImmediate(() => {
      this.isQueued = false;
      this.reconcile();
    });
  }

  /** Opens, closes and rebinds listeners to match the Services now. */
  reconcile(): void {
    if (this.isStopped) {
      return;
    }
    const want = desiredListeners(this.deps.catalog.allServices(), this.deps.nodePortAddress);
    for (const key of this.deps.reserved ?? []) {
      want.delete(key);
    }
    for (const [key, l] of this.listeners) {
      if (!want.has(key)) {
        // Established connections stay, as conntrack entries outlive a kube-proxy rule.
        l.server?.close();
        this.listeners.delete(key);
      }
    }
    for (const [key, spec] of want) {
      const l = this.listeners.get(key);
      if (l) {
        l.spec = spec;
      } else {
        const fresh: Listener = { spec };
        this.listeners.set(key, fresh);
        this.bind(key, fresh);
      }
    }
  }

  private rebindFailed(): void {
    for (const [key, l] of this.listeners) {
      if (!l.server) {
        this.bind(key, l);
      }
    }
  }

  private bind(key: string, l: Listener): void {
    const claim = this.deps.claimAddress;
    if (!claim || l.spec.address === this.deps.nodePortAddress) {
      this.listen(key, l);
      return;
    }
    claim(l.spec.address).then(
      () => this.listen(key, l),
      (err: unknown) => {
        const code = err instanceof Error ? err.message : String(err);
        if (l.failure !== code) {
          l.failure = code;
          this.deps.log.warn({ listener: key, err }, `service proxy: cannot add ${l.spec.address}`);
        }
      },
    );
  }

  private listen(key: string, l: Listener): void {
    if (this.listeners.get(key) !== l || this.isStopped) {
      return;
    }
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) =>
      this.accept(l.spec.binding, socket),
    );
    server.once('error', (err: NodeJS.ErrnoException) => {
      l.server = undefined;
      const code = err.code ?? err.message;
      if (l.failure !== code) {
        l.failure = code;
        this.deps.log.warn({ listener: key, code }, `service proxy: cannot listen on ${key}`);
      }
    });
    server.listen(l.spec.port, l.spec.address, () => {
      if (this.listeners.get(key) !== l || this.isStopped) {
        server.close();
        return;
      }
      l.server = server;
      l.failure = undefined;
      this.deps.log.debug({ listener: key, service: l.spec.binding.serviceKey }, 'listening');
    });
  }

  private accept(binding: Binding, socket: Socket): void {
    const { stats, pickers, catalog, limits } = this.deps;
    const scope: TrafficScope = { namespace: binding.namespace, service: binding.service };
    const picker = pickers.get(`${binding.serviceKey}#${binding.portName}`, binding.affinityMs);
    const clientIp = clientIpOf(socket.remoteAddress);
    this.connections.add(socket);
    stats.begin(scope);
    let isClosed = false;
    let pod: string | undefined;
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      this.connections.delete(socket);
      isClosed = true;
    });
    const tried = new Set<string>();
    const next = (): void => {
      const backend =
        tried.size < limits.tries && !isClosed
          ? picker.pick(catalog.backends(binding.serviceKey, binding.portName), {
              nowMs: Date.now(),
              tried,
              ...(binding.affinityMs !== undefined ? { clientIp } : {}),
            })
          : undefined;
      if (!backend) {
        stats.closed(scope);
        // What kube-proxy's REJECT rule does for a Service without endpoints: refuse.
        socket.resetAndDestroy();
        return;
      }
      tried.add(backend.key);
      this.dial(scope, backend, socket, (conn) => {
        if (!conn) {
          next();
          return;
        }
        pod = podNameOf(backend);
        this.splice(socket, conn, () => stats.closed(scope, pod));
      });
    };
    next();
  }

  private dial(
    scope: TrafficScope,
    backend: Backend,
    client: Socket,
    done: (conn: Socket | undefined) => void,
  ): void {
    const { stats, health, limits } = this.deps;
    const pod = podNameOf(backend);
    stats.beginAttempt(scope, pod);
    const conn = connect({
      host: backend.address,
      port: backend.port,
      allowHalfOpen: true,
      noDelay: true,
    });
    conn.setTimeout(limits.connectTimeoutMs, () => conn.destroy(new Error('connect timed out')));
    const onError = (): void => {
      if (client.destroyed) {
        stats.abandonAttempt(scope, pod);
      } else {
        health.fail(backend.key, Date.now());
        stats.failAttempt(scope, pod, true);
      }
      done(undefined);
    };
    conn.once('error', onError);
    conn.once('connect', () => {
      conn.off('error', onError);
      conn.setTimeout(0);
      health.reset(backend.key);
      stats.connected(scope, pod);
      done(conn);
    });
  }

  private splice(client: Socket, conn: Socket, onClosed: () => void): void {
    if (client.destroyed) {
      conn.destroy();
      onClosed();
      return;
    }
    this.connections.add(conn);
    let open = 2;
    const closed = (): void => {
      if (--open === 0) {
        this.connections.delete(conn);
        onClosed();
      }
    };
    const fail = (): void => {
      client.destroy();
      conn.destroy();
    };
    client.on('error', fail);
    conn.on('error', fail);
    client.once('close', closed);
    conn.once('close', closed);
    // pipe() ends the other side on 'end': half-closes travel both ways.
    client.pipe(conn);
    conn.pipe(client);
  }
}
