// kubeproc's node as `kubeproc up` runs it: informers for what containers need (services,
// config maps, secrets, images), the container resolver, and the node's loops.
import type { Logger } from 'pino';
import type { Container } from '../apis/core/v1/types.js';
import type { Client } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer.js';
import { CONFIGMAPS, NODES, SECRETS, SERVICES } from '../client/resources.js';
import { ContainerWaitError } from './kubelet/launcher.js';
import { containerResolver, type ImageCommand } from './kubelet/resolve-container.js';
import { startNode, type RunningNode } from './index.js';
import { ImageIndex, isWaiting, resolveContainerCommand } from './images/index.js';
import { IMAGES_REF } from '../apis/kubeproc/types.js';
import { syncServiceAddresses, type PodNetwork } from './network/index.js';

interface NodeStartConfig {
  dataDir: string;
  log: Logger;
  node?: {
    nodeName?: string;
    initialBackoffMs?: number;
    maxBackoffMs?: number;
    cgroups?: boolean;
    podPidsMax?: number;
    metricResolutionMs?: number;
  };
  /** Isolated network mode (created by main.ts before the proxy); unset is host mode. */
  network?: PodNetwork;
  /** The cluster DNS pods are pointed at (resolv.conf); none: ClusterFirst falls back to the node's. */
  podDns?: { clusterDomain: string; clusterDns: string[] };
}

/** Docker's rules over the registered images: command replaces the entrypoint, args the cmd. */
function imageCommandFrom(images: ImageIndex): (container: Container) => ImageCommand {
  return (container) => {
    const resolved = resolveContainerCommand(container, images.lookup(container.image ?? ''));
    if (isWaiting(resolved)) {
      throw new ContainerWaitError(resolved.waiting.reason, resolved.waiting.message);
    }
    return resolved;
  };
}

/** Starts the node agent, scheduler and node status loops of this kubeproc. */
export async function startNodeAgent(
  client: Client,
  config: NodeStartConfig,
  signal: AbortSignal,
): Promise<RunningNode> {
  const informers = new SharedInformerFactory(client);
  const services = informers.informerFor(SERVICES);
  const configMaps = informers.informerFor(CONFIGMAPS);
  const secrets = informers.informerFor(SECRETS);
  const nodes = informers.informerFor(NODES);
  const images = new ImageIndex();
  informers.informerFor(IMAGES_REF).addEventHandler(images);
  let nodeName = '';
  const running = await startNode(
    {
      client,
      informers,
      log: config.log,
      dataDir: config.dataDir,
      nodeName: config.node?.nodeName,
      initialBackoffMs: config.node?.initialBackoffMs,
      maxBackoffMs: config.node?.maxBackoffMs,
      cgroups: config.node?.cgroups,
      podPidsMax: config.node?.podPidsMax,
      statsResolutionMs: config.node?.metricResolutionMs,
      network: config.network,
      ...(config.podDns ? { podDns: config.podDns } : {}),
      resolve: (pod, container, sandbox) =>
        containerResolver({
          services,
          configMaps,
          secrets,
          nodeName,
          nodeAllocatable: () =>
            (
              nodes.get('', nodeName)?.status as
                { allocatable?: Record<string, string> } | undefined
            )?.allocatable ?? {},
          imageCommand: imageCommandFrom(images),
        })(pod, container, sandbox),
    },
    signal,
  );
  nodeName = running.nodeName;
  if (config.network) {
    const log = config.log.child({ component: 'pod-network' });
    void syncServiceAddresses(services, config.network, log, signal);
  }
  void informers.start(signal);
  return running;
}
