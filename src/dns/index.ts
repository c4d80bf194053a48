// The cluster DNS server (kube-dns / CoreDNS's job), run inside kubeproc: answers the cluster zone
// from informers over the Client, forwards everything else to the node's resolvers.
// Startup: informers -> caches synced (or a deadline) -> UDP+TCP listeners on each address.
import type { Logger } from 'pino';
import type { Client } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer.js';
import { ClusterState } from './cluster-state.js';
import { Forwarder } from './forward.js';
import type { Upstream } from './forward.js';
import { DnsHandler } from './handler.js';
import { DnsListeners } from './listeners.js';
import { DnsStats } from './stats.js';
import type { DnsStatsSnapshot } from './stats.js';

export { parseUpstream } from './forward.js';
export type { Upstream } from './forward.js';
export type { DnsStatsSnapshot } from './stats.js';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** CoreDNS's kubernetes plugin default TTL. */
export const DEFAULT_DNS_TTL_SECONDS = 5;
const SYNC_DEADLINE_MS = 5000;

export interface ClusterDnsOptions {
  client: Client;
  /** Where to listen (UDP and TCP): the kube-dns Service's ClusterIP. */
  addresses: string[];
  /** 53 normally; tests pass a free port. */
  port: number;
  clusterDomain?: string;
  /** The node's resolvers, for names outside the zone; none answers SERVFAIL. */
  upstreams: Upstream[];
  log: Logger;
  ttlSeconds?: number;
  forwardTimeoutMs?: number;
  /** Called once per address when its listeners are up (possibly after a wait for it). */
  onListening?: (address: string) => void;
}

export interface RunningClusterDns {
  /** Addresses served now. */
  listening(): string[];
  stats(): DnsStatsSnapshot;
  close(): Promise<void>;
}

/** Starts the cluster DNS; rejects when an address cannot be bound for a reason other than absence. */
export async function startClusterDns(options: ClusterDnsOptions): Promise<RunningClusterDns> {
  const { log } = options;
  const zone = (options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase().replace(/\.$/, '');
  const stop = new AbortController();
  const informers = new SharedInformerFactory(options.client);
  const state = new ClusterState(informers);
  const informersDone = informers.start(stop.signal);
  await Promise.race([state.waitForSync(), delay(SYNC_DEADLINE_MS)]);
  const stats = new DnsStats();
  const handler = new DnsHandler({
    zone: {
      zone,
      view: state,
      ttlSeconds: options.ttlSeconds ?? DEFAULT_DNS_TTL_SECONDS,
      nameservers: options.addresses,
    },
    forwarder: new Forwarder(options.upstreams, options.forwardTimeoutMs),
    isSynced: () => state.hasSynced,
    stats,
  });
  const listeners = new DnsListeners(handler, options.port, {
    onListening: (address) => {
      log.info({ address, port: options.port, zone }, 'cluster DNS listening');
      options.onListening?.(address);
    },
    onWaiting: (address, code) =>
      log.warn({ address, code }, `cluster DNS: ${address} is not on any interface yet; retrying`),
    onError: (e) => log.warn({ err: e }, 'cluster DNS error'),
  });
  const close = async (): Promise<void> => {
    stop.abort();
    await listeners.close();
    await informersDone;
  };
  try {
    for (const address of options.addresses) {
      await listeners.listen(address);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { listening: () => [...listeners.listening], stats: () => stats.snapshot(), close };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
