// One pod on this node (the kubelet's pod worker + syncPod): starts init containers in order, then
// the app containers; restarts them per restartPolicy with CrashLoopBackOff; runs probes and hooks;
// tears the pod down on deletion (preStop, SIGTERM, grace, SIGKILL) and then confirms the delete.
import { constants } from 'node:os';
import type { Logger } from 'pino';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { PODS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { ContainerProbes, type ProbeKind, type ProbeResult } from '../prober/index.js';
import { STATUS_UNKNOWN_MESSAGE, STATUS_UNKNOWN_REASON } from '../runtime/container-exit.js';
import type { ContainerExit, RunningContainer } from '../runtime/process-runtime.js';
import { backoffText, type RestartBackoff } from './backoff.js';
import { newRecord, type ContainerRecord, type TerminatedState } from './container-record.js';
import { runHook } from './hooks.js';
import {
  ContainerWaitError,
  PodWaitError,
  SandboxCreateError,
  containerIdFor,
  type ContainerLauncher,
  type PodSandbox,
} from './launcher.js';
import { renderPodStatus } from './pod-status.js';
import { StatusWriter } from './status-writer.js';

/** The kubelet never kills with less than this grace (minimumGracePeriodInSeconds). */
const MIN_GRACE_SECONDS = 2;
/** How soon a container that could not be created is tried again. */
const CREATE_RETRY_MS = 2_000;
/** How often the same pod-level wait (FailedMount) is reported again. */
const POD_WAIT_EVENT_MS = 30_000;

export interface PodWorkerDeps {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  backoff: RestartBackoff;
  launcher: ContainerLauncher;
  agentStartedAt: Date;
  /** Called once the pod is gone and everything of it is cleaned up. */
  onFinished(uid: string): void;
}

interface Live {
  process: RunningContainer;
  instance: number;
  killing?: boolean;
}

/** Keeps one pod's containers as its spec and restartPolicy say. */
export class PodWorker {
  readonly uid: string;
  private pod: Pod;
  private readonly init: ContainerRecord[];
  private readonly app: ContainerRecord[];
  private readonly live = new Map<string, Live>();
  /** When a container that could not be created may be tried again. */
  private readonly retryAt = new Map<string, number>();
  private readonly probes = new Map<string, ContainerProbes>();
  private readonly probeStop = new AbortController();
  private readonly status: StatusWriter;
  private sandbox: PodSandbox | undefined;
  /** The last FailedCreatePodSandBox message, reported once until it changes. */
  private sandboxFailure: string | undefined;
  private startTime: string | undefined;
  private instances = 0;
  private syncing = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private removed = false;
  private finished = false;
  private restored = false;
  private lastPodWait: { message: string; at: number } | undefined;

  constructor(
    pod: Pod,
    private readonly deps: PodWorkerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    this.init = (pod.spec?.initContainers ?? []).map((c) => newRecord(c, true));
    const hasInitContainers = this.init.length > 0;
    this.app = (pod.spec?.containers ?? []).map((c) => newRecord(c, false, hasInitContainers));
    this.status = new StatusWriter(deps.client, deps.log, pod);
    const st = pod.status?.startTime;
    this.startTime = typeof st === 'string' ? st : undefined;
  }

  /** A newer version of the pod arrived. */
  update(pod: Pod): void {
    this.pod = pod;
    this.status.setPod(pod);
    this.kick();
  }

  /** The pod is gone from the API (force-deleted): stop everything, report nothing. */
  remove(): void {
    this.removed = true;
    this.kick();
  }

  /** Stops probes and timers without touching processes (agent shutdown: apps keep running). */
  async detach(): Promise<void> {
    this.probeStop.abort();
    clearTimeout(this.timer);
    this.finished = true;
    await Promise.all([...this.live.values()].map((live) => live.process.detach()));
  }

  /** The records, for logs, exec and stats. */
  containers(): ContainerRecord[] {
    return [...this.init, ...this.app];
  }

  /** The running process of a container, if any. */
  processOf(name: string): RunningContainer | undefined {
    return this.live.get(name)?.process;
  }

  get currentPod(): Pod {
    return this.pod;
  }

  kick(): void {
    if (this.finished) {
      return;
    }
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.sync();
        } catch (err) {
          this.deps.log.warn({ err, pod: this.podRef() }, 'pod sync failed');
          this.schedule(CREATE_RETRY_MS);
        }
      } while (this.again && !this.finished);
    } finally {
      this.syncing = false;
    }
  }

  /** Syncs again after `ms`, unless an earlier sync is already due. */
  private schedule(ms: number): void {
    const due = Date.now() + ms;
    if (this.timer && this.dueAt <= due && this.dueAt > Date.now()) {
      return;
    }
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, ms);
    this.timer.unref();
  }

  private async sync(): Promise<void> {
    if (!this.restored) {
      await this.restore();
      this.restored = true;
    }
    const pod = this.pod;
    if (this.removed || pod.metadata.deletionTimestamp) {
      await this.terminate();
      return;
    }
    this.startTime ??= this.nowIso();
    if (!(await this.ensureSandbox(pod))) {
      return;
    }
    if (this.isTerminalPhase()) {
      await this.writeStatus(false);
      this.probeStop.abort();
      return;
    }
    if (await this.syncInitContainers()) {
      for (const r of this.app) {
        await this.syncContainer(r);
      }
    }
    await this.writeStatus(false);
  }

  /** Creates the sandbox once; false (pod left Pending, retried) when that fails. */
  private async ensureSandbox(pod: Pod): Promise<boolean> {
    if (this.sandbox) {
      return true;
    }
    try {
      this.sandbox = await this.deps.launcher.preparePod(pod);
      this.sandboxFailure = undefined;
      return true;
    } catch (err) {
      if (!(err instanceof SandboxCreateError)) {
        throw err;
      }
      if (this.sandboxFailure !== err.message) {
        this.sandboxFailure = err.message;
        this.event('Warning', 'FailedCreatePodSandBox', err.message);
      }
      await this.writeStatus(false);
      this.schedule(CREATE_RETRY_MS);
      return false;
    }
  }

  /** True once every init container has succeeded; otherwise runs the next one. */
  private async syncInitContainers(): Promise<boolean> {
    for (const r of this.init) {
      const s = r.state;
      if (s.kind === 'terminated' && s.terminated.exitCode === 0) {
        continue;
      }
      if (s.kind !== 'running') {
        await this.syncContainer(r);
      }
      return false;
    }
    return true;
  }

  private policyFor(): string {
    return this.pod.spec?.restartPolicy ?? 'Always';
  }

  /** Starts a container that should run and does not. */
  private async syncContainer(r: ContainerRecord): Promise<void> {
    if (r.state.kind === 'running' || this.live.has(r.name)) {
      return;
    }
    const exit = r.state.kind === 'terminated' ? r.state.terminated : undefined;
    const ranBefore = r.containerID !== '';
    if (ranBefore && exit) {
      const policy = this.policyFor();
      const restart = policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0);
      if (!restart) {
        return;
      }
      const key = `${this.uid}/${r.name}`;
      const failedAt = new Date(exit.finishedAt);
      if (this.deps.backoff.isInBackOffSince(key, failedAt)) {
        const backoff = backoffText(this.deps.backoff.currentMs(key));
        r.lastTerminated = exit;
        r.state = {
          kind: 'waiting',
          reason: 'CrashLoopBackOff',
          message: `back-off ${backoff} restarting failed container=${r.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`,
        };
        this.event(
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${r.name} in pod ${this.podRef()}`,
        );
        this.schedule(this.deps.backoff.remainingMs(key, failedAt) + 10);
        return;
      }
      this.deps.backoff.next(key, failedAt);
    } else if (ranBefore && r.state.kind === 'waiting' && r.state.reason === 'CrashLoopBackOff') {
      const last = r.lastTerminated;
      const key = `${this.uid}/${r.name}`;
      if (last && this.deps.backoff.isInBackOffSince(key, new Date(last.finishedAt))) {
        this.schedule(this.deps.backoff.remainingMs(key, new Date(last.finishedAt)) + 10);
        return;
      }
      if (last) {
        this.deps.backoff.next(key, new Date(last.finishedAt));
      }
    }
    const retryAt = this.retryAt.get(r.name) ?? 0;
    const wait = retryAt - this.deps.clock.now().getTime();
    if (wait > 0) {
      this.schedule(wait);
      return;
    }
    await this.start(r);
  }

  private async start(r: ContainerRecord): Promise<void> {
    const next = { ...r };
    if (r.containerID !== '') {
      next.restartCount = r.restartCount + 1;
      next.lastTerminated = r.state.kind === 'terminated' ? r.state.terminated : r.lastTerminated;
    }
    next.containerID = containerIdFor(this.uid, r.name, next.restartCount);
    let launched;
    try {
      launched = await this.deps.launcher.launch(this.pod, next);
    } catch (err) {
      if (!(err instanceof ContainerWaitError)) {
        throw err;
      }
      if (err instanceof PodWaitError) {
        this.podWait(err);
        return;
      }
      if (r.state.kind !== 'waiting' || r.state.message !== err.message) {
        this.event('Warning', 'Failed', `Error: ${err.message}`);
      }
      r.lastTerminated = next.lastTerminated;
      r.state = { kind: 'waiting', reason: err.reason, message: err.message };
      this.retryAt.set(r.name, this.deps.clock.now().getTime() + CREATE_RETRY_MS);
      this.schedule(CREATE_RETRY_MS);
      return;
    }
    this.retryAt.delete(r.name);
    this.lastPodWait = undefined;
    for (const e of launched.events ?? []) {
      this.event(e.type, e.reason, e.message);
    }
    Object.assign(r, next);
    r.imageID = launched.imageID;
    if (launched.fromImage) {
      this.event(
        'Normal',
        'Pulled',
        `Container image "${r.spec.image ?? ''}" already present on machine`,
      );
    }
    this.event('Normal', 'Created', `Created container ${r.name}`);
    this.event('Normal', 'Started', `Started container ${r.name}`);
    this.track(r, launched.process);
    const postStart = r.spec.lifecycle?.postStart;
    if (postStart) {
      const failure = await runHook(postStart, this.deps.launcher.probeTarget(this.pod, r), {
        container: r.name,
        pod: this.podRef(),
      });
      if (failure !== undefined) {
        this.event('Warning', 'FailedPostStartHook', failure);
        await this.kill(r, `FailedPostStartHook`, this.graceFor());
      }
    }
  }

  /** Volumes not ready: containers stay as they are (ContainerCreating), retried, event repeated. */
  private podWait(err: PodWaitError): void {
    const now = this.deps.clock.now().getTime();
    const last = this.lastPodWait;
    if (!last || last.message !== err.message || now - last.at >= POD_WAIT_EVENT_MS) {
      this.event('Warning', err.eventReason, err.message);
      this.lastPodWait = { message: err.message, at: now };
    }
    this.schedule(CREATE_RETRY_MS);
  }

  /** Marks a process as the container's running instance and follows its exit. */
  private track(r: ContainerRecord, process: RunningContainer): void {
    const instance = ++this.instances;
    this.live.set(r.name, { process, instance });
    r.state = {
      kind: 'running',
      running: { startedAt: process.startedAt.toISOString().replace(/\.\d+Z$/, 'Z') },
    };
    this.ensureProbes(r);
    void process.wait().then(
      (exit) => this.onExit(r, instance, exit, process),
      (err: unknown) =>
        this.deps.log.warn({ err, pod: this.podRef() }, 'waiting for container failed'),
    );
  }

  private onExit(
    r: ContainerRecord,
    instance: number,
    exit: ContainerExit,
    process: RunningContainer,
  ): void {
    if (this.live.get(r.name)?.instance !== instance) {
      return;
    }
    this.live.delete(r.name);
    const terminated: TerminatedState = {
      exitCode: exit.exitCode ?? 137,
      reason: exit.reason,
      startedAt: process.startedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      finishedAt: exit.finishedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      containerID: r.containerID,
    };
    if (exit.signal !== undefined) {
      terminated.signal = signalNumber(exit.signal);
    }
    r.state = { kind: 'terminated', terminated };
    r.ready = r.init && terminated.exitCode === 0;
    this.kick();
  }

  private ensureProbes(r: ContainerRecord): void {
    const spec: Container = r.spec;
    if (
      r.init ||
      this.probes.has(r.name) ||
      !(spec.livenessProbe || spec.readinessProbe || spec.startupProbe)
    ) {
      return;
    }
    const probes = new ContainerProbes({
      container: spec,
      target: this.deps.launcher.probeTarget(this.pod, r),
      clock: this.deps.clock,
      agentStartedAt: this.deps.agentStartedAt,
      getStatus: () => ({
        containerID: r.containerID,
        state: r.state.kind,
        startedAt: r.state.kind === 'running' ? new Date(r.state.running.startedAt) : undefined,
        podPhase: this.status.phase,
        isPodDeleting: this.pod.metadata.deletionTimestamp !== undefined,
        restartPolicy: this.pod.spec?.restartPolicy,
      }),
      onResult: (kind, result, message, id) => this.onProbeResult(r, kind, result, message, id),
      onEvent: (_kind, event) => this.event(event.type, event.reason, event.message),
      onError: (err) => this.deps.log.warn({ err, pod: this.podRef() }, 'probe failed to run'),
    });
    this.probes.set(r.name, probes);
    void probes.start(this.probeStop.signal);
  }

  private onProbeResult(
    r: ContainerRecord,
    kind: ProbeKind,
    result: ProbeResult,
    _message: string,
    id: string,
  ): void {
    if (id !== r.containerID || r.state.kind !== 'running') {
      return;
    }
    if (result === 'failure' && (kind === 'liveness' || kind === 'startup')) {
      this.event(
        'Normal',
        'Killing',
        `Container ${r.name} failed ${kind} probe, will be restarted`,
      );
      const probe = kind === 'liveness' ? r.spec.livenessProbe : r.spec.startupProbe;
      void this.kill(r, kind, this.graceFor(probe?.terminationGracePeriodSeconds));
      return;
    }
    this.kick();
  }

  /** preStop, then SIGTERM to the group, then SIGKILL after the rest of the grace period. */
  private async kill(r: ContainerRecord, _why: string, graceSeconds: number): Promise<void> {
    const live = this.live.get(r.name);
    if (!live || live.killing) {
      return;
    }
    live.killing = true;
    const started = this.deps.clock.now().getTime();
    const preStop = r.spec.lifecycle?.preStop;
    if (preStop) {
      const failure = await runHook(preStop, this.deps.launcher.probeTarget(this.pod, r), {
        container: r.name,
        pod: this.podRef(),
        timeoutMs: graceSeconds * 1000,
      });
      if (failure !== undefined) {
        this.event('Warning', 'FailedPreStopHook', failure);
      }
    }
    const spent = (this.deps.clock.now().getTime() - started) / 1000;
    await live.process.stop(Math.max(MIN_GRACE_SECONDS, graceSeconds - spent));
  }

  private graceFor(probeOverride?: number): number {
    const pod = this.pod;
    const grace =
      pod.metadata.deletionGracePeriodSeconds ??
      probeOverride ??
      pod.spec?.terminationGracePeriodSeconds ??
      30;
    return Math.max(MIN_GRACE_SECONDS, grace);
  }

  private async terminate(): Promise<void> {
    const running = this.containers().filter((r) => this.live.has(r.name));
    const grace = this.graceFor();
    for (const r of running) {
      this.event('Normal', 'Killing', `Stopping container ${r.name}`);
    }
    await Promise.all(running.map((r) => this.kill(r, 'deleted', grace)));
    await Promise.all(
      running.flatMap((r) => {
        const live = this.live.get(r.name);
        return live ? [live.process.wait()] : [];
      }),
    );
    this.probeStop.abort();
    if (!this.removed) {
      this.sandbox ??= { podIP: '', hostIP: '' };
      await this.writeStatus(true);
      try {
        await this.deps.client.delete(
          PODS,
          this.pod.metadata.namespace ?? '',
          this.pod.metadata.name ?? '',
          {
            gracePeriodSeconds: 0,
            preconditions: { uid: this.uid },
          },
        );
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code !== 404 && code !== 409) {
          throw err;
        }
      }
    }
    await this.deps.launcher.cleanupPod(this.pod);
    this.deps.backoff.forget(`${this.uid}/`);
    this.finished = true;
    clearTimeout(this.timer);
    this.deps.onFinished(this.uid);
  }

  private isTerminalPhase(): boolean {
    const phase = this.status.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  }

  private async writeStatus(terminal: boolean): Promise<void> {
    for (const r of this.app) {
      const probes = this.probes.get(r.name);
      const running = r.state.kind === 'running';
      r.started = running && (probes ? probes.isStarted(r.containerID) : true);
      r.ready = running && (probes ? probes.isReady(r.containerID) : true);
    }
    const sandbox = this.sandbox ?? { podIP: '', hostIP: '' };
    const status = renderPodStatus(this.pod, this.init, this.app, {
      now: this.deps.clock.now(),
      podIP: sandbox.podIP,
      hostIP: sandbox.hostIP,
      startTime: this.startTime ?? this.nowIso(),
      sandboxReady: this.sandbox !== undefined,
      terminal,
    });
    await this.status.write(status);
  }

  /** After an agent restart: rebuild records from the reported status, adopt live processes. */
  private async restore(): Promise<void> {
    const statuses = [
      ...((this.pod.status?.initContainerStatuses ?? []) as Record<string, unknown>[]),
      ...((this.pod.status?.containerStatuses ?? []) as Record<string, unknown>[]),
    ];
    for (const r of this.containers()) {
      const s = statuses.find((x) => x.name === r.name) as ReportedStatus | undefined;
      if (!s || !s.containerID) {
        continue;
      }
      r.restartCount = s.restartCount ?? 0;
      r.containerID = s.containerID;
      r.imageID = s.imageID ?? '';
      r.lastTerminated = s.lastState?.terminated;
      if (s.state?.terminated) {
        r.state = { kind: 'terminated', terminated: s.state.terminated };
        r.ready = r.init && s.state.terminated.exitCode === 0;
        continue;
      }
      if (s.state?.waiting) {
        r.state = {
          kind: 'waiting',
          reason: s.state.waiting.reason ?? '',
          message: s.state.waiting.message,
        };
        continue;
      }
      const process = await this.deps.launcher.adopt(this.pod, r);
      if (process) {
        this.track(r, process);
        continue;
      }
      const now = this.nowIso();
      r.state = {
        kind: 'terminated',
        terminated: {
          exitCode: 137,
          reason: STATUS_UNKNOWN_REASON,
          message: STATUS_UNKNOWN_MESSAGE,
          startedAt: s.state?.running?.startedAt,
          finishedAt: now,
          containerID: r.containerID,
        },
      };
    }
  }

  private nowIso(): string {
    return this.deps.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
  }

  private podRef(): string {
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(this.pod, type, reason, message);
  }
}

interface ReportedStatus {
  name: string;
  containerID?: string;
  imageID?: string;
  restartCount?: number;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string; message?: string };
    terminated?: TerminatedState;
  };
  lastState?: { terminated?: TerminatedState };
}

function signalNumber(signal: string): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[signal];
}
