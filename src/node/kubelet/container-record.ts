// What the node agent knows about one container of a pod across its restarts: the instance
// running now, how the last one ended, and why it is waiting. Status is rendered from this.
import type { Container } from '../../apis/core/v1/types.js';

/** How one container instance ended (ContainerStateTerminated). */
export interface TerminatedState {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt: string;
  containerID: string;
}

/** The running instance, as the status reports it. */
export interface RunningState {
  startedAt: string;
}

export interface ContainerRecord {
  name: string;
  spec: Container;
  init: boolean;
  /** Instances created after the first one. */
  restartCount: number;
  /** The current (or last) instance's ID; '' before the first start. */
  containerID: string;
  state:
    | { kind: 'waiting'; reason: string; message?: string }
    | { kind: 'running'; running: RunningState }
    | { kind: 'terminated'; terminated: TerminatedState };
  lastTerminated?: TerminatedState;
  /** ContainerStatus.ready / started, decided by the probes. */
  ready: boolean;
  started: boolean;
  /** The image's ID once resolved (the registered image's name). */
  imageID: string;
}

/**
 * A fresh record, waiting to be created: ContainerCreating, or PodInitializing for every container
 * (init or not) of a pod that has init containers, as the kubelet's default waiting state.
 */
export function newRecord(
  spec: Container,
  init: boolean,
  hasInitContainers = init,
): ContainerRecord {
  return {
    name: spec.name ?? '',
    spec,
    init,
    restartCount: 0,
    containerID: '',
    state: { kind: 'waiting', reason: hasInitContainers ? 'PodInitializing' : 'ContainerCreating' },
    ready: false,
    started: false,
    imageID: '',
  };
}

/** The instance ended: the last termination of a running container, or the current one. */
export function lastExit(record: ContainerRecord): TerminatedState | undefined {
  return record.state.kind === 'terminated' ? record.state.terminated : record.lastTerminated;
}
