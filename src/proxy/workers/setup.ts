// The ingress workers as the proxy starts them: the pool of worker processes and the routing
// feed that keeps them current, or nothing for 0 workers (the ingress serves in-process).
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { SharedInformerFactory } from '../../client/informer.js';
import { SECRETS } from '../../client/resources.js';
import type { ServiceCatalog } from '../backends/catalog.js';
import type { ProxyLimits } from '../config.js';
import type { MergedStats } from '../stats/merged-stats.js';
import { IngressWorkerPool } from './pool.js';
import type { WorkerLauncher } from './pool.js';
import { RoutingFeed } from './routing-feed.js';

export interface IngressWorkersDeps {
  catalog: ServiceCatalog;
  informers: SharedInformerFactory;
  limits: ProxyLimits;
  log: Logger;
  merged: MergedStats;
  count: number;
  /** Default: forked processes running the built worker-main.js. */
  launch?: WorkerLauncher | undefined;
}

export interface IngressWorkers {
  feed: RoutingFeed;
  pool: IngressWorkerPool;
}

/** The pool and its feed; undefined for 0 workers or when no built worker exists. */
export function createIngressWorkers(deps: IngressWorkersDeps): IngressWorkers | undefined {
  const { catalog, informers, limits, log, merged, count, launch } = deps;
  if (count <= 0) {
    return undefined;
  }
  if (!launch && !existsSync(IngressWorkerPool.defaultScript())) {
    // Running from source (the TypeScript tests): there is no built worker to start.
    log.warn('ingress: no built ingress worker; serving in-process');
    return undefined;
  }
  const feed: RoutingFeed = new RoutingFeed({
    catalog,
    secrets: informers.informerFor(SECRETS),
    broadcast: (message) => pool.broadcast(message),
  });
  const pool: IngressWorkerPool = new IngressWorkerPool({
    count,
    limits,
    log,
    stats: merged,
    snapshot: () => feed.snapshot(),
    onHttps: (port, cert) => feed.setHttps({ port, ...cert }),
    ...(launch ? { launch } : {}),
  });
  return { feed, pool };
}
