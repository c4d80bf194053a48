// A pod's /etc/resolv.conf by the kubelet's rules (pkg/kubelet/network/dns/dns.go): dnsPolicy
// ClusterFirst / ClusterFirstWithHostNet / Default / None, spec.dnsConfig merged in, the
// nameserver and search limits applied with the kubelet's event messages; rendered as the CRI does.
import type { Pod } from '../../apis/core/v1/types.js';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** A pod event the kubelet records while forming the DNS config (Warning type). */
export interface DnsEvent {
  reason: 'DNSConfigForming' | 'MissingClusterDNS';
  message: string;
}

export interface PodDnsOptions {
  clusterDomain: string;
  /** The cluster DNS addresses (kubelet --cluster-dns); empty sends ClusterFirst to Default. */
  clusterDns: string[];
  /** The node's resolv.conf text; undefined is the kubelet's --resolv-conf="". */
  hostResolvConf?: string;
}

/** Kubernetes' limits since ExpandedDNSConfig went GA (1.28). */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MAX_SEARCH_PATH_LENGTH = 253;

/** nameserver lines accumulate; the last search and options lines win; `#` comments. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      continue;
    }
    const [key, ...values] = trimmed.split(/\s+/);
    if (key === 'nameserver' && values[0]) {
      out.nameservers.push(values[0]);
    } else if (key === 'search') {
      // The same domain with and without its trailing dot counts once; the root is no path.
      out.searches = values.map((s) => s.replace(/\.$/, '')).filter((s) => s !== '');
    } else if (key === 'options') {
      out.options = values;
    }
  }
  return out;
}

const unique = (values: string[]): string[] => [...new Set(values)];

type Policy = 'cluster' | 'host' | 'none';

function policyOf(pod: Pod): Policy {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      // ClusterFirst: a host-network pod falls back to Default.
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
  }
}

/** Options merge by name, a pod's dnsConfig winning; order of first appearance is kept. */
function mergeOptions(existing: string[], extra: unknown[]): string[] {
  const merged = new Map<string, string>();
  for (const op of existing) {
    const colon = op.indexOf(':');
    merged.set(colon < 0 ? op : op.slice(0, colon), colon < 0 ? '' : op.slice(colon + 1));
  }
  for (const raw of extra) {
    const op = (raw ?? {}) as { name?: string; value?: string | null };
    merged.set(op.name ?? '', op.value ?? '');
  }
  return [...merged].map(([name, value]) => (value ? `${name}:${value}` : name));
}

function fitSearches(searches: string[], events: DnsEvent[]): string[] {
  let out = searches.slice(0, MAX_DNS_SEARCH_PATHS);
  let isExceeded = searches.length > MAX_DNS_SEARCH_PATHS;
  const kept = out.filter((s) => s.length <= MAX_SEARCH_PATH_LENGTH);
  isExceeded ||= kept.length !== out.length;
  out = kept;
  while (out.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    out = out.slice(0, -1);
    isExceeded = true;
  }
  if (isExceeded) {
    events.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`,
    });
  }
  return out;
}

function fitNameservers(nameservers: string[], events: DnsEvent[]): string[] {
  if (nameservers.length <= MAX_DNS_NAMESERVERS) {
    return nameservers;
  }
  const out = nameservers.slice(0, MAX_DNS_NAMESERVERS);
  events.push({
    reason: 'DNSConfigForming',
    message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${out.join(' ')}`,
  });
  return out;
}

function baseConfig(pod: Pod, opts: PodDnsOptions, events: DnsEvent[]): ResolvConf {
  const host =
    opts.hostResolvConf === undefined
      ? { nameservers: [], searches: [], options: [] }
      : parseResolvConf(opts.hostResolvConf);
  const policy = policyOf(pod);
  if (policy === 'none') {
    return { nameservers: [], searches: [], options: [] };
  }
  if (policy === 'cluster' && opts.clusterDns.length > 0) {
    const domain = opts.clusterDomain;
    const clusterSearch = domain
      ? [`${pod.metadata.namespace ?? 'default'}.svc.${domain}`, `svc.${domain}`, domain]
      : [];
    const searches = unique([...clusterSearch, ...host.searches]);
    return { nameservers: [...opts.clusterDns], searches, options: ['ndots:5'] };
  }
  if (policy === 'cluster') {
    events.push({
      reason: 'MissingClusterDNS',
      message: `pod: "${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
    });
  }
  if (opts.hostResolvConf === undefined) {
    // No node resolv.conf: the local machine's resolver, and no search.
    return { nameservers: ['127.0.0.1'], searches: ['.'], options: [] };
  }
  return host;
}

/** The pod's resolver configuration and the warning events forming it produced. */
export function podDnsConfig(pod: Pod, opts: PodDnsOptions): ResolvConf & { events: DnsEvent[] } {
  const events: DnsEvent[] = [];
  const config = baseConfig(pod, opts, events);
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    config.nameservers = unique([...config.nameservers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    config.options = mergeOptions(config.options, extra.options ?? []);
  }
  const nameservers = fitNameservers(config.nameservers, events);
  const searches = fitSearches(config.searches, events);
  return { nameservers, searches, options: config.options, events };
}

/** The file as containerd writes it: search, nameserver lines, options; empty parts omitted. */
export function formatResolvConf(config: ResolvConf): string {
  let out = '';
  if (config.searches.length > 0) {
    out += `search ${config.searches.join(' ')}\n`;
  }
  for (const ns of config.nameservers) {
    out += `nameserver ${ns}\n`;
  }
  if (config.options.length > 0) {
    out += `options ${config.options.join(' ')}\n`;
  }
  return out;
}
