// `kubeproc up`'s cluster DNS flags and the line `up` prints about where the DNS answers.
import { isIP } from 'node:net';
import type { ClusterDnsConfig, ClusterDnsState } from '../main.js';
import { parseUpstream } from '../dns/index.js';
import { UsageError } from './output.js';

export const DNS_UP_OPTIONS = {
  'cluster-domain': { type: 'string' },
  'cluster-dns': { type: 'string' },
  'no-cluster-dns': { type: 'boolean' },
  // Hidden: tests serve the DNS on a free port instead of 53.
  'cluster-dns-port': { type: 'string' },
  // Hidden: tests forward to a resolver of their own instead of /etc/resolv.conf's.
  'cluster-dns-upstreams': { type: 'string' },
} as const;

export const DNS_UP_USAGE = `
Cluster DNS:
  --cluster-domain DOMAIN     the cluster's DNS domain (default cluster.local)
  --cluster-dns IP            the kube-dns Service's address (default: the 10th of --service-cidr)
  --no-cluster-dns            no DNS server and no kube-dns Service
`;

type Values = Partial<Record<keyof typeof DNS_UP_OPTIONS, string | boolean>>;

const DOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The cluster DNS settings the flags give. */
export function clusterDnsConfigOf(values: Values): ClusterDnsConfig {
  const domain = values['cluster-domain'];
  const address = values['cluster-dns'];
  const port = values['cluster-dns-port'];
  const config: ClusterDnsConfig = { enabled: values['no-cluster-dns'] !== true };
  if (typeof domain === 'string') {
    if (!DOMAIN_RE.test(domain)) {
      throw new UsageError(
        `invalid --cluster-domain "${domain}": expected a DNS name such as cluster.local`,
      );
    }
    config.clusterDomain = domain;
  }
  if (typeof address === 'string') {
    if (isIP(address) === 0) {
      throw new UsageError(`invalid --cluster-dns "${address}": expected an IP address`);
    }
    config.address = address;
  }
  if (typeof port === 'string') {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new UsageError(`invalid --cluster-dns-port "${port}": expected a port number 1-65535`);
    }
    config.port = n;
  }
  const upstreams = values['cluster-dns-upstreams'];
  if (typeof upstreams === 'string') {
    config.upstreams = upstreams.split(',').filter(Boolean).map(parseUpstream);
  }
  return config;
}

/** The `dns:` line of `kubeproc up`. */
export function clusterDnsSummary(state: ClusterDnsState | undefined): string {
  if (!state) {
    return 'dns:        off (--no-cluster-dns)';
  }
  const where = state.port === 53 ? state.address : `${state.address}:${state.port}`;
  return state.problem
    ? `dns:        off: ${state.problem}; kube-system/kube-dns is ${state.address}`
    : `dns:        ${where} (zone ${state.clusterDomain}, kube-system/kube-dns)`;
}
