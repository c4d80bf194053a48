// A pod's kubelet-managed network files: /etc/hosts, /etc/resolv.conf, /etc/hostname.
export {
  formatResolvConf,
  parseResolvConf,
  podDnsConfig,
  MAX_DNS_NAMESERVERS,
  MAX_DNS_SEARCH_LIST_CHARS,
  MAX_DNS_SEARCH_PATHS,
} from './resolv-conf.js';
export type { DnsEvent, PodDnsOptions, ResolvConf } from './resolv-conf.js';
export {
  hostAliasesSection,
  hostNetworkHostsFile,
  managedHostsFile,
  nodenameForKernel,
  podHostnameAndDomain,
  PodHostnameError,
} from './hosts.js';
export type { PodHostname } from './hosts.js';
export { writePodNetworkFiles } from './write.js';
export type { PodNetworkFiles, PodNetworkFilesOptions } from './write.js';
