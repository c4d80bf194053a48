// The node agent (kubeproc's kubelet): watches the pods bound to this node and keeps one pod worker
// per pod UID; serves their logs. Apps outlive the agent: stop() leaves processes running.
import type { Logger } from 'pino';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { PODS } from '../../client/resources.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { RestartBackoff } from './backoff.js';
import type { ContainerLauncher } from './launcher.js';
import { PodWorker } from './pod-worker.js';

export interface NodeAgentDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  nodeName: string;
  launcher: ContainerLauncher;
  clock?: Clock;
  /** CrashLoopBackOff's first and longest delay (Kubernetes: 10 s and 300 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class NodeAgent {
  private readonly workers = new Map<string, PodWorker>();
  private readonly finished = new Set<string>();
  private readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly backoff: RestartBackoff;
  private readonly clock: Clock;
  private readonly startedAt: Date;

  constructor(private readonly deps: NodeAgentDeps) {
    this.clock = deps.clock ?? realClock;
    this.startedAt = this.clock.now();
    this.backoff = new RestartBackoff(this.clock, deps.initialBackoffMs, deps.maxBackoffMs);
    this.recorder = new EventRecorder(
      deps.client,
      'kubelet',
      deps.log,
      () => this.clock.now(),
      deps.nodeName,
    );
    this.pods = deps.informers.informerFor(PODS, {
      fieldSelector: `spec.nodeName=${deps.nodeName}`,
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.upsert(pod),
      onUpdate: (_old, pod) => this.upsert(pod),
      onDelete: (pod) => this.workers.get(pod.metadata.uid ?? '')?.remove(),
    });
  }

  /** Runs until signal aborts; then stops probing but leaves every app process running. */
  async start(signal: AbortSignal): Promise<void> {
    const orphans = this.cleanupOrphans(signal);
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await orphans;
    await Promise.all([...this.workers.values()].map((w) => w.detach()));
    await this.recorder.flush();
  }

  /** The worker of a pod, by namespace and name. */
  workerFor(namespace: string, name: string): PodWorker | undefined {
    const pod = this.pods.get(namespace, name);
    return pod ? this.workers.get(pod.metadata.uid ?? '') : undefined;
  }

  /** The worker of a pod, by UID. */
  workerByUid(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  /** Every pod worker (stats, metrics). */
  allWorkers(): PodWorker[] {
    return [...this.workers.values()];
  }

  /** A listing of the pod informer (for callers that need the latest object). */
  pod(namespace: string, name: string): KubeObject | undefined {
    return this.pods.get(namespace, name);
  }

  // Once the pods bound here are known, whatever the runtime holds for any other pod is a pod
  // deleted (or rebound) while kubeproc was down: its processes, namespaces and files go.
  private async cleanupOrphans(signal: AbortSignal): Promise<void> {
    const cleanup = this.deps.launcher.cleanupOrphans?.bind(this.deps.launcher);
    if (!cleanup) {
      return;
    }
    await Promise.race([
      this.pods.waitForSync(),
      new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
    ]);
    if (signal.aborted) {
      return;
    }
    const known = new Set(this.pods.list().map((p) => p.metadata.uid ?? ''));
    try {
      await cleanup((uid) => known.has(uid) || this.workers.has(uid));
    } catch (err) {
      this.deps.log.warn({ err }, 'orphaned pod cleanup failed');
    }
  }

  private upsert(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const existing = this.workers.get(uid);
    if (existing) {
      existing.update(pod);
      return;
    }
    if (this.finished.has(uid)) {
      return;
    }
    const worker = new PodWorker(pod, {
      client: this.deps.client,
      recorder: this.recorder,
      clock: this.clock,
      log: this.deps.log,
      backoff: this.backoff,
      launcher: this.deps.launcher,
      agentStartedAt: this.startedAt,
      onFinished: (id) => {
        this.workers.delete(id);
        this.finished.add(id);
      },
    });
    this.workers.set(uid, worker);
    worker.kick();
  }
}
