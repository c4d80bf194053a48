// A pod's /etc/hostname and /etc/hosts by the kubelet's rules (kubelet_pods.go): hostname from
// spec.hostname or the pod name (63 characters at most), the FQDN when spec.subdomain is set, the
// managed hosts file with its localhost and ip6 lines, and the HostAliases section.
import type { Pod } from '../../apis/core/v1/types.js';
import { isDNS1123Label } from '../../apis/validation/validators.js';

const HOSTNAME_MAX_LENGTH = 63;
/** The kernel's nodename field holds 64 characters. */
const FQDN_MAX_LENGTH = 64;

export class PodHostnameError extends Error {
  readonly code = 'POD_HOSTNAME_INVALID';
}

export interface PodHostname {
  hostname: string;
  /** `<subdomain>.<ns>.svc.<clusterDomain>`, or '' without a subdomain. */
  domain: string;
}

/** At most 63 characters, not ending in '-' or '.'. */
function truncateHostname(podName: string, hostname: string): string {
  if (hostname.length <= HOSTNAME_MAX_LENGTH) {
    return hostname;
  }
  const truncated = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
  if (truncated === '') {
    throw new PodHostnameError(`hostname for pod "${podName}" was invalid: "${hostname}"`);
  }
  return truncated;
}

/** The pod's hostname and domain; throws PodHostnameError with the kubelet's message. */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): PodHostname {
  const name = pod.metadata.name ?? '';
  let hostname = name;
  const wanted = pod.spec?.hostname ?? '';
  if (wanted) {
    const problems = isDNS1123Label(wanted);
    if (problems.length > 0) {
      throw new PodHostnameError(
        `pod Hostname "${wanted}" is not a valid DNS label: ${problems.join(';')}`,
      );
    }
    hostname = wanted;
  }
  hostname = truncateHostname(name, hostname);
  const subdomain = pod.spec?.subdomain ?? '';
  if (!subdomain) {
    return { hostname, domain: '' };
  }
  const problems = isDNS1123Label(subdomain);
  if (problems.length > 0) {
    throw new PodHostnameError(
      `pod Subdomain "${subdomain}" is not a valid DNS label: ${problems.join(';')}`,
    );
  }
  return {
    hostname,
    domain: `${subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}`,
  };
}

/** What the UTS namespace's hostname is set to: the FQDN with setHostnameAsFQDN and a domain. */
export function nodenameForKernel(pod: Pod, names: PodHostname): string {
  if (!names.domain || pod.spec?.setHostnameAsFQDN !== true) {
    return names.hostname;
  }
  const fqdn = `${names.hostname}.${names.domain}`;
  if (fqdn.length > FQDN_MAX_LENGTH) {
    throw new PodHostnameError(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${FQDN_MAX_LENGTH} characters is the max, ${fqdn.length} characters requested)`,
    );
  }
  return fqdn;
}

/** The HostAliases section: a blank line, its header, one tab-separated line per IP. */
export function hostAliasesSection(pod: Pod): string {
  const aliases = (pod.spec?.hostAliases ?? []) as { ip?: string; hostnames?: string[] }[];
  if (aliases.length === 0) {
    return '';
  }
  const lines = aliases.map((a) => `${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}\n`);
  return `\n# Entries added by HostAliases.\n${lines.join('')}`;
}

/** The kubelet-managed /etc/hosts of a pod with its own network. */
export function managedHostsFile(pod: Pod, podIPs: string[], names: PodHostname): string {
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) {
    out += names.domain
      ? `${ip}\t${names.hostname}.${names.domain}\t${names.hostname}\n`
      : `${ip}\t${names.hostname}\n`;
  }
  return out + hostAliasesSection(pod);
}

/** A host-network pod's /etc/hosts: the node's file with the HostAliases section after it. */
export function hostNetworkHostsFile(pod: Pod, nodeHosts: string): string {
  return nodeHosts + hostAliasesSection(pod);
}
