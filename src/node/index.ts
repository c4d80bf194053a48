// The node: this machine as a Kubernetes node. Registers the Node and its Lease, schedules pending
// pods onto it, and runs the node agent that turns bound pods into supervised processes.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Client } from '../client/client.js';
import type { SharedInformerFactory } from '../client/informer.js';
import { CONFIGMAPS, PODS, SECRETS } from '../client/resources.js';
import type { ResourceRef } from '../client/client.js';
import { isNotFound } from '../lib/errors.js';
import { TopLevelDirs, VolumeManager, type ExtraBind } from './volumes/index.js';
import { instanceId } from './network/naming.js';
import { Scheduler } from '../controllers/scheduler/controller.js';
import { NodeAgent } from './kubelet/agent.js';
import { NodeBackend, type ContainerStreams } from './kubelet/node-backend.js';
import { detectSandbox, type SandboxSupport } from './sandbox/detect.js';
import type { PodNetwork } from './network/index.js';
import { PodEtcFiles } from './kubelet/pod-etc-files.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../dns/index.js';
import { execInContainer } from './exec/exec-in-container.js';
import { AttachStartError, attachToContainer } from './exec/attach-container.js';
import { ProcessLauncher, type ProcessLauncherDeps } from './kubelet/process-launcher.js';
import { NodeStatusReporter } from './node-status.js';
import { CgroupManager, detectCgroups } from './runtime/cgroups.js';
import { StatsSampler, type SampledContainer } from './stats/stats-sampler.js';

export interface NodeOptions {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  dataDir: string;
  nodeName?: string;
  /** CrashLoopBackOff's initial and maximum delay. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** false: run without cgroups even where the machine has them. */
  cgroups?: boolean;
  /** pids.max of each pod's cgroup (the kubelet's --pod-max-pids); unlimited when unset. */
  podPidsMax?: number | undefined;
  /** Image + env resolution of a container (see resolve-container.ts). */
  resolve: ProcessLauncherDeps['resolve'];
  /** false: run every container in the host's process space. */
  pidNamespaces?: boolean;
  /** How often container and node CPU/memory are sampled (metrics-server's resolution). */
  statsResolutionMs?: number;
  /** Files bound into every container (the pod's /etc/hosts, /etc/resolv.conf, /etc/hostname). */
  extraBinds?: ProcessLauncherDeps['extraBinds'];
  /** Isolated network mode: pods get their own netns and IP; unset is host network mode. */
  network?: PodNetwork;
  /** Cluster DNS for the pods' resolv.conf (isolated mode). */
  podDns?: { clusterDomain: string; clusterDns: string[] };
}

export interface RunningNode {
  nodeName: string;
  backend: NodeBackend;
  agent: NodeAgent;
  launcher: ProcessLauncher;
  stats: StatsSampler;
  sandbox: SandboxSupport;
  /** Why pods run without cgroup limits, when they do. */
  cgroupsUnavailable?: string;
  /** The pod network in isolated mode; undefined in host mode. */
  network?: PodNetwork;
  /** Resolves once every loop has stopped after the signal aborted. */
  done: Promise<void>;
}

/** Starts the node's loops; resolves once they are running. */
export async function startNode(opts: NodeOptions, signal: AbortSignal): Promise<RunningNode> {
  const { client, informers, log } = opts;
  let cgroups: CgroupManager | undefined;
  let cgroupsUnavailable: string | undefined;
  if (opts.cgroups === false) {
    cgroupsUnavailable = 'disabled by configuration';
  } else {
    const support = await detectCgroups();
    if (support.available) {
      cgroups = new CgroupManager(support);
    } else {
      cgroupsUnavailable = support.reason;
    }
  }
  const reporter = new NodeStatusReporter({
    client,
    log: log.child({ component: 'node-status' }),
    ...(cgroupsUnavailable ? { resourceLimitsUnavailable: cgroupsUnavailable } : {}),
    ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
  });
  const nodeName = reporter.nodeName;
  const sandbox: SandboxSupport =
    opts.pidNamespaces === false
      ? { pidNamespaces: false, reason: 'disabled by configuration' }
      : await detectSandbox();
  const podsDir = path.join(opts.dataDir, 'pods');
  const volumes = podVolumes({ client, informers, log, podsDir, nodeName: () => nodeName });
  const launcher = new ProcessLauncher({
    client,
    log: log.child({ component: 'runtime' }),
    podsDir,
    hostIP: '127.0.0.1',
    cgroups,
    ...(opts.podPidsMax === undefined ? {} : { podPidsMax: opts.podPidsMax }),
    resolve: opts.resolve,
    sandbox,
    volumes,
    extraBinds: opts.extraBinds,
    topLevelDirs: new TopLevelDirs({
      instance: instanceId(opts.dataDir),
      log: log.child({ component: 'volumes' }),
    }),
    network: opts.network ? { pods: opts.network, nsenter: opts.network.nsenter } : undefined,
    ...(opts.network
      ? {
          etcFiles: new PodEtcFiles(
            opts.podDns ?? { clusterDomain: DEFAULT_CLUSTER_DOMAIN, clusterDns: [] },
          ),
        }
      : {}),
  });
  const agent = new NodeAgent({
    client,
    informers,
    log: log.child({ component: 'kubelet' }),
    nodeName,
    launcher,
    initialBackoffMs: opts.initialBackoffMs,
    maxBackoffMs: opts.maxBackoffMs,
  });
  launcher.running = (uid, name) => agent.workerByUid(uid)?.processOf(name);
  const scheduler = new Scheduler({
    client,
    informers,
    log: log.child({ component: 'scheduler' }),
    bind: async (pod, node) => {
      await client.createSubresource(
        PODS,
        pod.metadata.namespace ?? '',
        pod.metadata.name ?? '',
        'binding',
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: {
            name: pod.metadata.name,
            namespace: pod.metadata.namespace,
            uid: pod.metadata.uid,
          },
          target: { apiVersion: 'v1', kind: 'Node', name: node },
        },
      );
    },
  });
  const stats = new StatsSampler({
    resolutionMs: opts.statsResolutionMs ?? DEFAULT_STATS_RESOLUTION_MS,
    log: log.child({ component: 'stats' }),
    list: () => runningContainers(agent, launcher),
  });
  stats.start(signal);
  const done = Promise.all([
    reporter.start(signal),
    agent.start(signal),
    scheduler.start(signal),
  ]).then(() => undefined);
  return {
    nodeName,
    backend: new NodeBackend(agent, launcher, processStreams(launcher)),
    sandbox,
    agent,
    launcher,
    stats,
    cgroupsUnavailable,
    network: opts.network,
    done,
  };
}

/** The volume manager: reads objects through the client, rewrites volumes on informer events. */
function podVolumes(opts: {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  podsDir: string;
  nodeName: () => string;
}): VolumeManager {
  const get = async (ref: ResourceRef, ns: string, name: string) => {
    try {
      return await opts.client.get(ref, ns, name);
    } catch (err) {
      if (isNotFound(err)) {
        return undefined;
      }
      throw err;
    }
  };
  const volumes = new VolumeManager({
    log: opts.log.child({ component: 'volumes' }),
    podDir: (uid) => path.join(opts.podsDir, uid),
    getConfigMap: (ns, name) => get(CONFIGMAPS, ns, name),
    getSecret: (ns, name) => get(SECRETS, ns, name),
    nodeName: opts.nodeName,
    hostIPs: ['127.0.0.1'],
    nodeAllocatable: () => ({}),
  });
  for (const [ref, kind] of [
    [CONFIGMAPS, 'configmap'],
    [SECRETS, 'secret'],
  ] as const) {
    opts.informers.informerFor(ref).addEventHandler({
      onAdd: (obj) => volumes.objectChanged(kind, obj),
      onUpdate: (_old, obj) => volumes.objectChanged(kind, obj),
    });
  }
  return volumes;
}

export type { ExtraBind };

/** metrics-server's default --metric-resolution. */
export const DEFAULT_STATS_RESOLUTION_MS = 15_000;

function runningContainers(agent: NodeAgent, launcher: ProcessLauncher): SampledContainer[] {
  const out: SampledContainer[] = [];
  for (const worker of agent.allWorkers()) {
    const pod = worker.currentPod;
    for (const record of worker.containers()) {
      const process = worker.processOf(record.name);
      if (!process) {
        continue;
      }
      out.push({
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name ?? '',
        podUid: worker.uid,
        container: record.name,
        startTime: process.startedAt,
        cgroup: launcher.cgroupOf(pod, record.name),
        pid: process.pid,
      });
    }
  }
  return out;
}

/**
 * kubectl exec: the command runs in the container's namespaces, cgroup, env and working dir.
 * kubectl attach: the session joins the container's own stdio.
 */
function processStreams(launcher: ProcessLauncher): ContainerStreams {
  return {
    exec: (worker, record, request) =>
      execInContainer({
        ...launcher.execTarget(worker.currentPod, record, worker.processOf(record.name)),
        command: request.command,
        stdin: request.stdin,
        tty: request.tty,
      }),
    attach: (worker, record, request) => {
      const process = worker.processOf(record.name);
      const pod = worker.currentPod.metadata.name ?? '';
      if (!process) {
        throw new AttachStartError(`container ${record.name} is not running in pod ${pod}`);
      }
      return attachToContainer(
        { process, spec: record.spec, describe: `container "${record.name}" in pod "${pod}"` },
        request,
      );
    },
  };
}
