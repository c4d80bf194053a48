// The probes of one container (the per-container part of pkg/kubelet/prober/prober_manager.go):
// a worker per probe the container defines, and the started/ready flags its status reports,
// with the startup probe gating the other two.
import type { Container } from '../../apis/core/v1/types.js';
import type { Clock } from '../../lib/clock.js';
import type { ProbeEvent } from './prober.js';
import type { ProbeKind, ProbeResult, ProbeTarget, Timers } from './types.js';
import {
  ProbeWorker,
  type ProbeContainerStatus,
  type ProbeResultHandler,
  type ProbeWorkerDeps,
} from './worker.js';

/** The runtime's view of the container; `isStarted` is what this class computes. */
export type ContainerRuntimeStatus = Omit<ProbeContainerStatus, 'isStarted'>;

export interface ContainerProbesDeps {
  container: Pick<Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'>;
  target: ProbeTarget;
  clock: Clock;
  timers?: Timers;
  getStatus(): ContainerRuntimeStatus | undefined;
  onResult?: ProbeResultHandler;
  onEvent?: (kind: ProbeKind, event: ProbeEvent, containerID: string) => void;
  onError?: (err: unknown) => void;
  agentStartedAt?: Date;
  random?: () => number;
  userAgent?: string;
}

const KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];

/** The up to three probe workers of one container and the status flags they decide. */
export class ContainerProbes {
  private readonly workers = new Map<ProbeKind, ProbeWorker>();

  constructor(private readonly deps: ContainerProbesDeps) {
    for (const kind of KINDS) {
      const probe = deps.container[`${kind}Probe`];
      if (probe === undefined) {
        continue;
      }
      const workerDeps: ProbeWorkerDeps = {
        ...deps,
        kind,
        probe,
        getStatus: () => this.statusForWorkers(),
        onResult: (k, result, message, id) => this.onWorkerResult(k, result, message, id),
      };
      this.workers.set(kind, new ProbeWorker(workerDeps));
    }
  }

  /** Runs every worker until `signal` aborts or the container will not run again. */
  async start(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.start(signal)));
  }

  hasProbe(kind: ProbeKind): boolean {
    return this.workers.has(kind);
  }

  /** The thresholded result of one probe for a container instance, once it has one. */
  result(kind: ProbeKind, containerID: string): ProbeResult | undefined {
    return this.workers.get(kind)?.resultFor(containerID);
  }

  /** ContainerStatus.started of a running container: its startup probe succeeded, or it has none. */
  isStarted(containerID: string): boolean {
    const startup = this.workers.get('startup');
    if (startup === undefined) {
      return true;
    }
    return startup.resultFor(containerID) === 'success';
  }

  /**
   * ContainerStatus.ready of a running container: started, and its readiness probe succeeded or
   * it has none. A readiness probe not yet passing is run at once, as UpdatePodStatus does.
   */
  isReady(containerID: string): boolean {
    if (!this.isStarted(containerID)) {
      return false;
    }
    const readiness = this.workers.get('readiness');
    if (readiness === undefined) {
      return true;
    }
    if (readiness.resultFor(containerID) === 'success') {
      return true;
    }
    readiness.trigger();
    return false;
  }

  private statusForWorkers(): ProbeContainerStatus | undefined {
    const status = this.deps.getStatus();
    if (status === undefined) {
      return undefined;
    }
    const isStarted = status.state === 'running' && this.isStarted(status.containerID);
    return { ...status, isStarted };
  }

  private onWorkerResult(
    kind: ProbeKind,
    result: ProbeResult,
    message: string,
    containerID: string,
  ): void {
    this.deps.onResult?.(kind, result, message, containerID);
    // Started now: readiness need not wait for its next tick.
    if (kind === 'startup' && result === 'success') {
      this.workers.get('readiness')?.trigger();
    }
  }
}
