// One probe of one container, run periodically (pkg/kubelet/prober/worker.go): a ticker every
// periodSeconds, probing held back by initialDelaySeconds and by the startup gate, results
// thresholded by success/failureThreshold and reported only when they change.
import type { Probe } from '../../apis/core/v1/types.js';
import type { Clock } from '../../lib/clock.js';
import { probeContainer, type ProbeEvent } from './prober.js';
import {
  probeTiming,
  realTimers,
  type ProbeKind,
  type ProbeResult,
  type ProbeTarget,
  type ProbeTiming,
  type Timers,
} from './types.js';

/** What the worker reads of the pod's status before each probe (the status manager's view). */
export interface ProbeContainerStatus {
  /** '' until the runtime created the container; a new ID is a new container instance. */
  containerID: string;
  state: 'waiting' | 'running' | 'terminated';
  /** When the running container started: initialDelaySeconds counts from here. */
  startedAt?: Date;
  /** ContainerStatus.started: the startup probe succeeded, or there is none. */
  isStarted: boolean;
  /** The pod's phase: Succeeded or Failed ends the worker. */
  podPhase?: string;
  /** The pod has a deletionTimestamp. */
  isPodDeleting?: boolean;
  /** The pod's spec.restartPolicy. */
  restartPolicy?: string;
}

export type ProbeResultHandler = (
  kind: ProbeKind,
  result: ProbeResult,
  message: string,
  containerID: string,
) => void;

export interface ProbeWorkerDeps {
  kind: ProbeKind;
  probe: Probe;
  target: ProbeTarget;
  clock: Clock;
  timers?: Timers;
  /** undefined while the pod has no status yet. */
  getStatus(): ProbeContainerStatus | undefined;
  /** Called when the thresholded result of a container changes, including its initial value. */
  onResult: ProbeResultHandler;
  /** Each Unhealthy or ProbeWarning event, for the event recorder. */
  onEvent?: (kind: ProbeKind, event: ProbeEvent, containerID: string) => void;
  /** A callback threw; the worker goes on, as the kubelet's worker survives a panic. */
  onError?: (err: unknown) => void;
  /** When the node agent started: workers created within one period of it start jittered. */
  agentStartedAt?: Date;
  random?: () => number;
  userAgent?: string;
}

const INITIAL_VALUE: Record<ProbeKind, ProbeResult> = {
  liveness: 'success',
  readiness: 'failure',
  startup: 'unknown',
};

/** Probes one container with one probe, following it across restarts (a new container ID). */
export class ProbeWorker {
  readonly kind: ProbeKind;
  private readonly timing: ProbeTiming;
  private readonly timers: Timers;
  private containerID = '';
  private lastResult: 'success' | 'failure' | undefined;
  private resultRun = 0;
  private isOnHold = false;
  private reported: { containerID: string; result: ProbeResult } | undefined;
  private isTickPending = false;
  private isTriggerPending = false;
  private wake: (() => void) | undefined;
  private ticker: unknown;
  private nextTickMs = 0;

  constructor(private readonly deps: ProbeWorkerDeps) {
    this.kind = deps.kind;
    this.timing = probeTiming(deps.probe);
    this.timers = deps.timers ?? realTimers;
  }

  /** The thresholded result for a container instance, if the worker has one. */
  resultFor(containerID: string): ProbeResult | undefined {
    return this.reported?.containerID === containerID ? this.reported.result : undefined;
  }

  /** Probes again now rather than at the next tick (the manager's manualTriggerCh). */
  trigger(): void {
    this.isTriggerPending = true;
    this.wake?.();
  }

  /** Probes until `signal` aborts or the container will not run again. */
  async start(signal: AbortSignal): Promise<void> {
    const periodMs = this.timing.periodSeconds * 1000;
    const started = this.deps.agentStartedAt;
    // After a restart of the agent, spread the first probes of existing pods over a period.
    if (started !== undefined && this.deps.clock.now().getTime() - started.getTime() < periodMs) {
      await this.sleep((this.deps.random ?? Math.random)() * periodMs, signal);
    }
    this.resetTicker(periodMs);
    try {
      while (!signal.aborted && (await this.safeProbe(signal))) {
        if (!(await this.nextRun(signal, periodMs))) {
          break;
        }
      }
    } finally {
      this.timers.clearTimeout(this.ticker);
    }
  }

  // As Go 1.23's Ticker.Reset, a tick not yet received is dropped with the old schedule.
  private resetTicker(periodMs: number): void {
    this.timers.clearTimeout(this.ticker);
    this.isTickPending = false;
    this.nextTickMs = this.deps.clock.now().getTime() + periodMs;
    this.armTicker(periodMs);
  }

  // A Go ticker: fixed schedule, and a tick that finds the worker busy waits for it (one only).
  private armTicker(periodMs: number): void {
    const delay = Math.max(0, this.nextTickMs - this.deps.clock.now().getTime());
    this.ticker = this.timers.setTimeout(() => {
      this.isTickPending = true;
      // Ticks missed while the process was busy are dropped, not replayed.
      const now = this.deps.clock.now().getTime();
      do {
        this.nextTickMs += periodMs;
      } while (this.nextTickMs <= now);
      this.armTicker(periodMs);
      this.wake?.();
    }, delay);
  }

  /** Waits for a tick or a trigger; false when the signal aborted. */
  private async nextRun(signal: AbortSignal, periodMs: number): Promise<boolean> {
    while (!signal.aborted) {
      if (this.isTriggerPending) {
        this.isTriggerPending = false;
        this.resetTicker(periodMs);
        return true;
      }
      if (this.isTickPending) {
        this.isTickPending = false;
        return true;
      }
      await this.waitForWake(signal);
    }
    return false;
  }

  private waitForWake(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.wake = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        this.timers.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const handle = this.timers.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async safeProbe(signal: AbortSignal): Promise<boolean> {
    try {
      return await this.doProbe(signal);
    } catch (err) {
      this.deps.onError?.(err);
      return true;
    }
  }

  /** One round of worker.go's doProbe; false ends the worker. */
  private async doProbe(signal: AbortSignal): Promise<boolean> {
    const status = this.deps.getStatus();
    const gate = status === undefined ? 'wait' : this.gate(status);
    return gate === 'probe' ? this.probeAndCount(signal) : gate === 'wait';
  }

  /** Whether to probe now, skip this round, or stop for good. */
  private gate(status: ProbeContainerStatus): 'probe' | 'wait' | 'stop' {
    if (status.podPhase === 'Failed' || status.podPhase === 'Succeeded') {
      return 'stop';
    }
    if (!this.trackContainer(status.containerID)) {
      return 'wait';
    }
    if (status.state !== 'running') {
      this.set('failure', '');
      // A container that exited for good under restartPolicy Never is not probed again.
      const isFinal = status.state === 'terminated' && status.restartPolicy === 'Never';
      return isFinal ? 'stop' : 'wait';
    }
    if (status.isPodDeleting === true && this.kind !== 'readiness') {
      // A quiet shutdown: no liveness or startup failure while the pod terminates.
      this.set('success', '');
      return 'stop';
    }
    if (!this.isPastInitialDelay(status.startedAt)) {
      return 'wait';
    }
    // Startup runs until the container has started; the other probes only after that.
    return status.isStarted === (this.kind === 'startup') ? 'wait' : 'probe';
  }

  /** Follows the container instance: a new one starts at the initial value, off hold. */
  private trackContainer(containerID: string): boolean {
    if (containerID === '') {
      return false;
    }
    if (containerID !== this.containerID) {
      this.containerID = containerID;
      this.set(INITIAL_VALUE[this.kind], '');
      this.isOnHold = false;
    }
    return !this.isOnHold;
  }

  private isPastInitialDelay(startedAt: Date | undefined): boolean {
    const sinceMs = this.deps.clock.now().getTime() - (startedAt?.getTime() ?? 0);
    return Math.trunc(sinceMs / 1000) >= this.timing.initialDelaySeconds;
  }

  private async probeAndCount(signal: AbortSignal): Promise<boolean> {
    const containerID = this.containerID;
    const outcome = await probeContainer(this.kind, this.deps.probe, this.deps.target, {
      signal,
      userAgent: this.deps.userAgent,
      onEvent: (event) => this.deps.onEvent?.(this.kind, event, containerID),
    });
    // A run that errored is thrown away, and so is one cut short by shutdown.
    if (outcome.isError || signal.aborted) {
      return true;
    }
    const result = outcome.result;
    this.resultRun = this.lastResult === result ? this.resultRun + 1 : 1;
    this.lastResult = result;
    const threshold =
      result === 'failure' ? this.timing.failureThreshold : this.timing.successThreshold;
    if (this.resultRun < threshold) {
      return true;
    }
    this.set(result, outcome.message);
    // A failed liveness probe restarts the container, and a decided startup probe is done:
    // either way, wait for a new container before probing again.
    if ((this.kind === 'liveness' && result === 'failure') || this.kind === 'startup') {
      this.isOnHold = true;
      this.resultRun = 0;
    }
    return true;
  }

  /** The results manager's Set: reports only a change for this container. */
  private set(result: ProbeResult, message: string): void {
    const prev = this.reported;
    if (prev?.containerID === this.containerID && prev.result === result) {
      return;
    }
    this.reported = { containerID: this.containerID, result };
    this.deps.onResult(this.kind, result, message, this.containerID);
  }
}
