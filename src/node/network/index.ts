// Pod networking (isolated mode) as the rest of kubeproc uses it; see docs/adr/0013-pod-network.md.
export { detectNetwork, NetworkUnavailableError } from './detect.js';
export type { NetworkModeFlag, NetworkSupport, NetworkTools } from './detect.js';
export { PodNetwork, PodNetworkConfigError, POD_NETWORK_FILE } from './pod-network.js';
export type { PodAttachment, PodNetworkOptions } from './pod-network.js';
export { IpRangeExhaustedError } from './ipam.js';
export { syncServiceAddresses } from './service-addresses.js';
export { removeInstanceNetwork } from './stale.js';
export { instanceNames, podNames } from './naming.js';
