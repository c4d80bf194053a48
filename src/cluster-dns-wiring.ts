// Wiring of the cluster DNS into kubeproc's startup (called from main.ts): the kube-dns Service,
// the server on its ClusterIP, and the Endpoints/EndpointSlice that say where it answers.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { KUBE_DNS_OFFSET, Cidr } from './api/admission/index.js';
import { ensureKubeDnsService, reconcileKubeDnsEndpoints } from './api/bootstrap-dns.js';
import type { ResourceRegistry } from './api/registry.js';
import type { ResourceService } from './api/rest/resource-service.js';
import type { Client } from './client/client.js';
import { DEFAULT_CLUSTER_DOMAIN, startClusterDns } from './dns/index.js';
import type { RunningClusterDns, Upstream } from './dns/index.js';
import { parseResolvConf } from './node/pod-files/index.js';

export interface ClusterDnsConfig {
  /** Off runs no DNS server and creates no kube-dns Service (`--no-cluster-dns`). */
  enabled?: boolean;
  /** Default cluster.local (`--cluster-domain`). */
  clusterDomain?: string;
  /** Default: the 10th address of the service range (`--cluster-dns`). */
  address?: string;
  /** Default 53; tests pass a free port. */
  port?: number;
  /** Default: the nameservers of /etc/resolv.conf. */
  upstreams?: Upstream[];
}

export interface ClusterDnsState {
  address: string;
  port: number;
  clusterDomain: string;
  running?: RunningClusterDns;
  /** Why the server does not run, when it does not. */
  problem?: string;
}

/** The address kube-dns gets: --cluster-dns, else the service range's 10th address. */
export function clusterDnsAddress(config: ClusterDnsConfig, serviceCidr: string): string {
  return config.address ?? Cidr.parse(serviceCidr).at(KUBE_DNS_OFFSET);
}

/** The node's resolvers, minus our own address (forwarding to ourselves would loop). */
function nodeUpstreams(own: string): Upstream[] {
  let text: string;
  try {
    text = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    // No resolv.conf: names outside the cluster answer SERVFAIL, as with an unreachable resolver.
    return [];
  }
  return parseResolvConf(text)
    .nameservers.filter((ns) => ns !== own)
    .map((address) => ({ address, port: 53 }));
}

/** Creates kube-dns (before the API serves); returns a problem to log, if any. */
export function bootstrapClusterDns(
  svc: ResourceService,
  registry: ResourceRegistry,
  address: string,
): string | undefined {
  return ensureKubeDnsService(svc, registry, address);
}

/** Starts the server; never throws: a failure to bind is logged once and reported in the state. */
export async function runClusterDns(
  deps: { client: Client; svc: ResourceService; registry: ResourceRegistry; log: Logger },
  config: ClusterDnsConfig,
  address: string,
): Promise<ClusterDnsState> {
  const port = config.port ?? 53;
  const clusterDomain = config.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const state: ClusterDnsState = { address, port, clusterDomain };
  const log = deps.log.child({ component: 'cluster-dns' });
  const publish = (serving: { address: string; port: number } | undefined): void => {
    try {
      reconcileKubeDnsEndpoints(deps.svc, deps.registry, serving);
    } catch (e) {
      log.warn({ err: e }, 'cluster DNS: cannot update kube-system/kube-dns endpoints');
    }
  };
  publish(undefined);
  try {
    state.running = await startClusterDns({
      client: deps.client,
      addresses: [address],
      port,
      clusterDomain,
      upstreams: config.upstreams ?? nodeUpstreams(address),
      log,
      onListening: (a) => publish({ address: a, port }),
    });
  } catch (e) {
    state.problem = `cannot listen on ${address}:${port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    log.warn(`cluster DNS off: ${state.problem}`);
  }
  return state;
}
