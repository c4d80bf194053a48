// `kubeproc up`'s network flags: which mode pods run in (isolated where the machine allows it,
// else host, with the reason), the pod and Service ranges each mode defaults to, and the lines
// `up` prints about them.
import type { NetworkModeFlag, NetworkSupport, NetworkTools } from '../node/network/index.js';
import { detectNetwork, NetworkUnavailableError } from '../node/network/index.js';
import type { PodNetwork } from '../node/network/index.js';
import { UsageError } from './output.js';

export const DEFAULT_POD_CIDR = '10.244.0.0/16';
export const ISOLATED_SERVICE_CIDR = '10.96.0.0/12';
export const HOST_SERVICE_CIDR = '127.96.0.0/16';

/** What resolveNetwork decided. */
export interface ResolvedNetwork {
  support: NetworkSupport;
  serviceCidr: string;
  /** main.ts's network config; undefined in host mode. */
  config?: { podCidr: string; tools: NetworkTools };
}

/** The --network value, checked. */
export function networkFlagOf(value: string | undefined): NetworkModeFlag | undefined {
  if (value === undefined || value === 'isolated' || value === 'host') {
    return value;
  }
  throw new UsageError(`invalid --network "${value}": expected isolated or host`);
}

/** Detects (or takes) the mode and fills in the ranges' defaults for it. */
export async function resolveNetwork(
  values: { network?: string; 'pod-cidr'?: string; 'service-cidr'?: string },
  hasNode: boolean,
): Promise<ResolvedNetwork> {
  const wanted = hasNode ? networkFlagOf(values.network) : 'host';
  let support: NetworkSupport;
  try {
    support =
      !hasNode && values.network === undefined
        ? { mode: 'host', reason: 'no node (--no-node)' }
        : await detectNetwork(wanted);
  } catch (err) {
    if (err instanceof NetworkUnavailableError) {
      throw new UsageError(err.message);
    }
    throw err;
  }
  if (support.mode === 'host') {
    if (values['pod-cidr'] !== undefined) {
      throw new UsageError(`--pod-cidr needs isolated network mode (${support.reason})`);
    }
    return { support, serviceCidr: values['service-cidr'] ?? HOST_SERVICE_CIDR };
  }
  return {
    support,
    serviceCidr: values['service-cidr'] ?? ISOLATED_SERVICE_CIDR,
    config: { podCidr: values['pod-cidr'] ?? DEFAULT_POD_CIDR, tools: support.tools },
  };
}

/** The `network:` lines of `kubeproc up`. */
export function networkSummary(network: ResolvedNetwork, pods: PodNetwork | undefined): string[] {
  const { support } = network;
  if (support.mode === 'isolated') {
    if (!pods) {
      return [];
    }
    return [
      `network:    isolated: each pod has its own IP from ${pods.podCidrText} on bridge ${pods.names.bridge} (gateway ${pods.gateway}), hostname = pod name; Services on ${network.serviceCidr}`,
    ];
  }
  return [
    `network:    host mode (${support.reason}): pods share the node's network; each containerPort gets a free host port as $PORT, so fixed ports across replicas, pod IPs, hostnames and cluster DNS names are not available; Services on ${network.serviceCidr}`,
  ];
}
