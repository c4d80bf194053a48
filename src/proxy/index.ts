// The data plane as main.ts starts it: the Service catalog (Services + EndpointSlices), the
// Service TCP proxy, the ingress (HTTP, HTTPS once TLS is used; in-process or on worker processes)
// and the traffic stats they share. Startup order: bind the ingress port (fail fast) -> informers
// -> caches synced -> serve -> ingress workers (served in-process until they are ready).
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Client } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer.js';
import { SECRETS } from '../client/resources.js';
import { ServiceCatalog } from './backends/catalog.js';
import { PassiveHealth } from './backends/health.js';
import { PickerRegistry } from './backends/pickers.js';
import type { IngressConfig, ProxyConfig, ProxyLimits } from './config.js';
import { limitsOf } from './config.js';
import { HttpForwarder } from './http/forwarder.js';
import { UpstreamPool } from './http/upstream.js';
import { UpgradeForwarder } from './http/upgrade.js';
import { IngressController } from './ingress/controller.js';
import { IngressServer } from './ingress/server.js';
import { TlsStore } from './ingress/tls-store.js';
import { ServiceProxy } from './service/service-proxy.js';
import { MergedStats } from './stats/merged-stats.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './stats/prometheus.js';
import type { ProxyStats } from './stats/proxy-stats.js';
import { TrafficStats } from './stats/proxy-stats.js';
import type { WorkerLauncher } from './workers/pool.js';
import type { IngressWorkerPool } from './workers/pool.js';
import { createIngressWorkers } from './workers/setup.js';

export type { ProxyConfig } from './config.js';
export type { ProxyStats, TrafficCounters } from './stats/proxy-stats.js';
export { PROMETHEUS_CONTENT_TYPE } from './stats/prometheus.js';

const SWEEP_MS = 60_000;
/** Pod series without traffic for this long are dropped (pods come and go). */
const POD_SERIES_IDLE_MS = 15 * 60_000;

export interface ProxyDeps {
  client: Client;
  log: Logger;
  /** How ingress workers are started; default: forked processes. */
  launchIngressWorker?: WorkerLauncher;
}

export interface RunningIngress {
  address: string;
  httpPort: number;
  /** Set once an Ingress uses TLS and the HTTPS listener is up. */
  httpsPort(): number | undefined;
  /** Worker processes serving the ingress (0: kubeproc's own event loop does). */
  workers: number;
  /** Process ids of the live ingress workers. */
  workerPids(): number[];
}

export interface RunningProxy {
  stats: ProxyStats;
  /** The proxy's metrics in the Prometheus text format. */
  metrics(): string;
  /** Answers an HTTP request with metrics() (the API server's /metrics). */
  serveMetrics: (req: IncomingMessage, res: ServerResponse) => void;
  ingress?: RunningIngress;
  /** Resolves once everything is closed after the signal aborted. */
  done: Promise<void>;
}

/** The parts the Service proxy and the ingress share. */
interface Shared {
  log: Logger;
  informers: SharedInformerFactory;
  health: PassiveHealth;
  /** What this process records into. */
  stats: TrafficStats;
  /** What /metrics and the autoscaler read: stats plus the ingress workers' reports. */
  merged: MergedStats;
  catalog: ServiceCatalog;
  pickers: PickerRegistry;
  upstreams: UpstreamPool;
  limits: ProxyLimits;
}

interface Ingress {
  server: IngressServer;
  controller: IngressController;
  address: string;
  pool?: IngressWorkerPool;
}

function createIngress(shared: Shared, deps: ProxyDeps, config: IngressConfig): Ingress {
  const { log, informers, health, stats, catalog, pickers, upstreams, limits } = shared;
  const { client } = deps;
  const address = config.address ?? '127.0.0.1';
  const workers = createIngressWorkers({
    ...shared,
    count: config.workers ?? 0,
    launch: deps.launchIngressWorker,
  });
  const handoff = workers ? { handoff: workers.pool } : {};
  const forwarder = new HttpForwarder({ health, stats, upstreams, limits });
  const upgrades = new UpgradeForwarder({ health, stats, limits });
  const tls = new TlsStore(informers.informerFor(SECRETS), log);
  const server = new IngressServer({
    ...{ catalog, pickers, forwarder, upgrades, tls, limits, log },
    ...handoff,
  });
  const controller = new IngressController({
    client,
    informers,
    server,
    tls,
    log,
    statusIp: address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address,
    listenAddress: address,
    httpsPort: config.httpsPort,
    extraClasses: config.extraClasses ?? ['nginx'],
    watchWithoutClass: config.watchWithoutClass ?? true,
    ...(workers ? { onRoutes: (claimed) => workers.feed.setIngresses(claimed) } : {}),
  });
  return { server, controller, address, ...(workers ? { pool: workers.pool } : {}) };
}

function running(
  shared: Shared,
  ingress: Ingress | undefined,
  loops: Promise<void>[],
): RunningProxy {
  const { merged, upstreams } = shared;
  const sweep = setInterval(() => {
    upstreams.sweep();
    shared.health.sweep(Date.now());
    merged.prune(POD_SERIES_IDLE_MS);
  }, SWEEP_MS);
  sweep.unref();
  const done = (async () => {
    await Promise.all(loops);
    clearInterval(sweep);
    // Together: the listeners stop accepting while the workers close their connections.
    await Promise.all([ingress?.server.close(), ingress?.pool?.stop()]);
    upstreams.destroy();
  })();
  const server = ingress?.server;
  const pool = ingress?.pool;
  return {
    stats: merged,
    metrics: () => renderMetrics(merged),
    serveMetrics: (_req, res) => {
      res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
      res.end(renderMetrics(merged));
    },
    ...(ingress && server
      ? {
          ingress: {
            address: ingress.address,
            httpPort: server.httpPort ?? 0,
            httpsPort: () => server.httpsPort,
            workers: pool?.size ?? 0,
            workerPids: () => pool?.pids ?? [],
          },
        }
      : {}),
    done,
  };
}

/** Starts the Service proxy and the ingress; resolves once both serve. */
export async function startProxy(
  deps: ProxyDeps,
  config: ProxyConfig,
  signal: AbortSignal,
): Promise<RunningProxy> {
  // Informers, listeners and loops each listen for this one signal.
  setMaxListeners(0, signal);
  const limits = limitsOf(config);
  const informers = new SharedInformerFactory(deps.client);
  const health = new PassiveHealth(limits.ejectBaseMs, limits.ejectMaxMs);
  const stats = new TrafficStats();
  const shared: Shared = {
    log: deps.log.child({ component: 'proxy' }),
    informers,
    health,
    stats,
    merged: new MergedStats(stats),
    catalog: new ServiceCatalog({ informers, onBackendReady: (key) => health.reset(key) }),
    pickers: new PickerRegistry(health),
    upstreams: new UpstreamPool(limits),
    limits,
  };
  shared.catalog.onChange((key) => {
    if (!shared.catalog.service(key)) {
      shared.pickers.dropService(key);
    }
  });
  const ingressConfig = config.ingress ?? {};
  const ingress =
    ingressConfig.enabled !== false ? createIngress(shared, deps, ingressConfig) : undefined;
  // Bound before anything runs: a port that is taken fails startup with nothing to undo.
  await ingress?.server.listenHttp(ingress.address, ingressConfig.httpPort);
  const loops: Promise<void>[] = [informers.start(signal)];
  await shared.catalog.waitForSync();
  if (config.services?.enabled !== false) {
    const nodePortAddress = config.services?.nodePortAddress ?? '127.0.0.1';
    const claimAddress = config.services?.claimAddress;
    const reserved = new Set(config.services?.reservedListeners ?? []);
    loops.push(
      new ServiceProxy({ ...shared, nodePortAddress, claimAddress, reserved }).start(signal),
    );
  }
  if (ingress) {
    await ingress.controller.init();
    loops.push(ingress.controller.run(signal));
    await ingress.pool?.start();
  }
  return running(shared, ingress, loops);
}
