// The node agent's view of a container runtime: what the pod worker asks of it (prepare a pod's
// sandbox, launch a container instance, adopt one that outlived the agent, clean up), so the
// worker's state machine stays free of processes, images, env and cgroups.
import { createHash } from 'node:crypto';
import type { Pod } from '../../apis/core/v1/types.js';
import type { ProbeTarget } from '../prober/index.js';
import type { RunningContainer } from '../runtime/process-runtime.js';
import type { ContainerRecord } from './container-record.js';

/** A container that cannot be created or started: shown as its waiting reason and message. */
export class ContainerWaitError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerWaitError';
  }
}

/** A pod-level wait (volumes not mounted yet): containers keep their state; an event says why. */
export class PodWaitError extends ContainerWaitError {
  constructor(
    readonly eventReason: string,
    message: string,
  ) {
    super('ContainerCreating', message);
    this.name = 'PodWaitError';
  }
}

/**
 * The pod's sandbox could not be created (for example no pod IP is free): the pod stays
 * Pending with its containers in ContainerCreating and a FailedCreatePodSandBox event.
 */
export class SandboxCreateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxCreateError';
  }
}

/** The sandbox ID the runtime reports for a pod (stable per UID, as a container ID is). */
export function sandboxIdFor(podUid: string): string {
  return createHash('sha256').update(`sandbox/${podUid}`).digest('hex');
}

export interface LaunchedContainer {
  /** Events about this start (e.g. what host mode could not honour). */
  events?: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
  process: RunningContainer;
  imageID: string;
  /** The registered image was used (a Pulled "already present" event is due). */
  fromImage: boolean;
}

/** The pod's sandbox: where it lives on the network. */
export interface PodSandbox {
  podIP: string;
  hostIP: string;
}

export interface ContainerLauncher {
  /** Creates what the pod's containers share (directories, pod cgroup, ports); idempotent. */
  preparePod(pod: Pod): Promise<PodSandbox>;
  /** Starts one instance of a container; rejects with ContainerWaitError when it cannot. */
  launch(pod: Pod, record: ContainerRecord): Promise<LaunchedContainer>;
  /** Finds the process of the instance `record` names, still running from before a restart. */
  adopt(pod: Pod, record: ContainerRecord): Promise<RunningContainer | undefined>;
  /** What probes and hooks run against for this container. */
  probeTarget(pod: Pod, record: ContainerRecord): ProbeTarget;
  /** Removes the pod's cgroups and files once every container has stopped. */
  cleanupPod(pod: Pod): Promise<void>;
  /**
   * Ends and removes every pod the runtime holds whose UID is not known (the kubelet's orphaned
   * pod cleanup: pods deleted while the agent was down); returns their UIDs.
   */
  cleanupOrphans?(isKnown: (uid: string) => boolean): Promise<string[]>;
}

/** A stable ID per container instance, so an adopted container keeps its ID. */
export function containerIdFor(podUid: string, name: string, restartCount: number): string {
  const hex = createHash('sha256').update(`${podUid}/${name}/${restartCount}`).digest('hex');
  return `kubeproc://${hex}`;
}
