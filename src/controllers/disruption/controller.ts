// The disruption controller: PodDisruptionBudget and pod events map to budget keys; workers run
// sync.ts, and a second queue clears stale DisruptionTarget pod conditions (upstream
// pkg/controller/disruption/disruption.go).
import type { Logger } from 'pino';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { DEPLOYMENTS, PDBS, PODS, REPLICASETS } from '../../client/resources.js';
import { realClock } from '../../lib/clock.js';
import type { Clock } from '../../lib/clock.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncResult } from '../common/run-workers.js';
import { controllerFinder } from './finders.js';
import { staleDisruptionDelayMs, syncStalePodDisruption } from './stale-disruption.js';
import type { StaleSyncContext } from './stale-disruption.js';
import { syncPdb } from './sync.js';
import type { SyncContext } from './sync.js';
import type { PodDisruptionBudget } from './types.js';

export interface DisruptionControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  /** How long a DisruptionTarget condition may outlive a pod's non-deletion (tests shorten it). */
  stalePodDisruptionTimeoutMs?: number;
}

export class DisruptionController {
  private readonly queue = new WorkQueue();
  private readonly staleQueue = new WorkQueue();
  private readonly pdbs: Informer;
  private readonly pods: Informer;
  private readonly replicaSets: Informer;
  private readonly deployments: Informer;
  private readonly recorder: EventRecorder;
  private readonly ctx: SyncContext;
  private readonly staleCtx: StaleSyncContext;
  private readonly log: Logger;

  constructor(deps: DisruptionControllerDeps) {
    const clock = deps.clock ?? realClock;
    this.log = deps.log;
    this.pdbs = deps.informers.informerFor(PDBS);
    this.pods = deps.informers.informerFor(PODS);
    this.replicaSets = deps.informers.informerFor(REPLICASETS);
    this.deployments = deps.informers.informerFor(DEPLOYMENTS);
    // Upstream's recorder reports as the controller manager, not as a named controller.
    this.recorder = new EventRecorder(deps.client, 'controllermanager', deps.log, () =>
      clock.now(),
    );
    this.ctx = {
      client: deps.client,
      pdbLister: this.pdbs,
      podLister: this.pods,
      find: controllerFinder({
        client: deps.client,
        rsLister: this.replicaSets,
        deploymentLister: this.deployments,
      }),
      recorder: this.recorder,
      clock,
      log: deps.log,
    };
    this.staleCtx = {
      client: deps.client,
      podLister: this.pods,
      clock,
      ...(deps.stalePodDisruptionTimeoutMs !== undefined
        ? { timeoutMs: deps.stalePodDisruptionTimeoutMs }
        : {}),
    };
    this.pdbs.addEventHandler({
      onAdd: (pdb) => this.queue.add(keyOf(pdb)),
      onUpdate: (_old, cur) => this.queue.add(keyOf(cur)),
      onDelete: (pdb) => this.queue.add(keyOf(pdb)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, cur) => this.podChanged(cur),
      onDelete: (pod) => this.enqueueBudgetsOf(pod),
    });
  }

  /** Waits for the informers to sync, then runs the workers until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const synced = Promise.all(
      [this.pdbs, this.pods, this.replicaSets, this.deployments].map((i) => i.waitForSync()),
    );
    await Promise.race([synced, aborted]);
    if (signal.aborted) {
      this.queue.shutDown();
      this.staleQueue.shutDown();
      return;
    }
    const common = { workers: 1, signal, log: this.log };
    await Promise.all([
      runWorkers({ ...common, name: 'disruption', queue: this.queue, sync: (k) => this.sync(k) }),
      runWorkers({
        ...common,
        name: 'disruption-stale-pod',
        queue: this.staleQueue,
        sync: (k) => syncStalePodDisruption(this.staleCtx, k),
      }),
    ]);
    await this.recorder.flush();
  }

  /** Reconciles one PodDisruptionBudget key. */
  sync(key: string): Promise<SyncResult> {
    return syncPdb(this.ctx, key);
  }

  private podChanged(pod: KubeObject): void {
    this.enqueueBudgetsOf(pod);
    const delayMs = staleDisruptionDelayMs(pod, this.ctx.clock.now(), this.staleCtx.timeoutMs);
    if (delayMs !== undefined) {
      this.staleQueue.addAfter(keyOf(pod), delayMs);
    }
  }

  /**
   * Wakes the budgets selecting pod. Upstream wakes only the first and warns when there are
   * more; each budget's status depends on the pod, so all of them are woken here.
   */
  private enqueueBudgetsOf(pod: KubeObject): void {
    const budgets = this.budgetsOf(pod);
    if (budgets.length > 1) {
      const { namespace = '', name = '' } = pod.metadata;
      const msg = `Pod "${namespace}"/"${name}" matches multiple PodDisruptionBudgets.  Chose "${budgets[0]?.metadata.name ?? ''}" arbitrarily.`;
      this.log.info({ pod: `${namespace}/${name}` }, msg);
      this.recorder.event(
        { ...pod, apiVersion: 'v1', kind: 'Pod' },
        'Warning',
        'MultiplePodDisruptionBudgets',
        msg,
      );
    }
    budgets.forEach((pdb) => this.queue.add(keyOf(pdb)));
  }

  /** GetPodPodDisruptionBudgets (policy/v1): an empty selector matches every pod. */
  private budgetsOf(pod: KubeObject): KubeObject[] {
    return this.pdbs.list(pod.metadata.namespace ?? '').filter((pdb) => {
      try {
        const selector = labelSelectorFromObject((pdb as PodDisruptionBudget).spec?.selector);
        return selector.matches(pod.metadata.labels);
      } catch {
        return false; // An invalid selector selects no pods.
      }
    });
  }
}
