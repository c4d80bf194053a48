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

interface NodeStartConfig {
  dataDir: string;
  log: Logger;
  node?: {
    nodeName?: string;
    initialBackoffMs?: number;
    maxBackoffMs?: number;
    cgroups?: boolean;
  };
}

/** Docker's rules without a registry: the pod's own command, or a clear waiting reason. */
function podCommand(container: Container): ImageCommand {
  if (!container.command || container.command.length === 0) {
    const image = container.image ?? '';
    throw new ContainerWaitError(
      'ErrImagePull',
      `image "${image}" is not registered with kubeproc and the container sets no command: run "kubeproc image add ${image} -- COMMAND [ARGS...]" or set command in the pod spec`,
    );
  }
  return {
    command: container.command,
    args: container.args ?? [],
    env: [],
    imageID: '',
    fromImage: false,
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
          imageCommand: podCommand,
        })(pod, container, sandbox),
    },
    signal,
  );
  nodeName = running.nodeName;
  void informers.start(signal);
  return running;
}
