// The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler): each HPA is
// reconciled once per sync period, right away when created or when its spec changes; the
// algorithm itself is the pure library in src/autoscaling.
import type { Logger } from 'pino';
import type { HorizontalPodAutoscaler } from '../../apis/autoscaling/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { newHPAState } from '../../autoscaling/index.js';
import type { HPAState } from '../../autoscaling/index.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { HPAS, PODS } from '../../client/resources.js';
import { realClock } from '../../lib/clock.js';
import type { Clock } from '../../lib/clock.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncResult } from '../common/run-workers.js';
import { ApiMetricsClient } from './metrics-client.js';
import type { MetricsClient } from './metrics-client.js';
import { DEFAULT_HPA_OPTIONS } from './options.js';
import type { HPAControllerOptions } from './options.js';
import { reconcileHPA } from './reconcile.js';
import type { ReconcileContext } from './reconcile.js';
import { ScaleTargetResolver } from './scale-target.js';
import { SelectorIndex } from './selectors.js';

export interface HPAControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  options?: Partial<HPAControllerOptions>;
  /** Where metrics come from; metrics.k8s.io through the client by default. */
  metrics?: MetricsClient;
}

export class HorizontalPodAutoscalerController {
  private readonly queue = new WorkQueue();
  private readonly hpas: Informer;
  private readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly states = new Map<string, HPAState>();
  private readonly ctx: ReconcileContext;
  private readonly options: HPAControllerOptions;

  constructor(deps: HPAControllerDeps) {
    const clock = deps.clock ?? realClock;
    this.options = { ...DEFAULT_HPA_OPTIONS, ...deps.options };
    this.hpas = deps.informers.informerFor(HPAS);
    this.pods = deps.informers.informerFor(PODS);
    this.recorder = new EventRecorder(deps.client, 'horizontal-pod-autoscaler', deps.log, () =>
      clock.now(),
    );
    this.ctx = {
      client: deps.client,
      pods: this.pods,
      metrics: deps.metrics ?? new ApiMetricsClient(deps.client),
      targets: new ScaleTargetResolver(deps.client),
      selectors: new SelectorIndex(),
      recorder: this.recorder,
      clock,
      options: this.options,
      log: deps.log,
    };
    this.hpas.addEventHandler({
      onAdd: (hpa) => this.queue.add(keyOf(hpa)),
      onUpdate: (old, cur) => this.updateHPA(old, cur),
      onDelete: (hpa) => this.forget(keyOf(hpa)),
    });
  }

  /** Waits for the informers to sync, then runs the workers until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const synced = Promise.all([this.hpas.waitForSync(), this.pods.waitForSync()]);
    await Promise.race([synced, aborted]);
    if (signal.aborted) {
      this.queue.shutDown();
      return;
    }
    await runWorkers({
      name: 'horizontal-pod-autoscaler',
      queue: this.queue,
      workers: this.options.workers,
      signal,
      log: this.ctx.log,
      sync: (key) => this.sync(key),
    });
    await this.recorder.flush();
  }

  /** Reconciles one HPA key and schedules the next run one sync period later. */
  async sync(key: string): Promise<SyncResult> {
    const { namespace, name } = splitKey(key);
    const hpa = this.hpas.get(namespace, name) as HorizontalPodAutoscaler | undefined;
    if (!hpa) {
      this.forget(key);
      return {};
    }
    const state = this.states.get(key) ?? newHPAState();
    try {
      this.states.set(key, await reconcileHPA(this.ctx, structuredClone(hpa), state));
    } catch (err) {
      // Upstream re-queues a failed HPA at the same fixed interval as a successful one.
      this.ctx.log.warn({ err, hpa: key }, 'HPA reconcile failed');
    }
    return { requeueAfterMs: this.options.syncPeriodMs };
  }

  private updateHPA(old: KubeObject, cur: KubeObject): void {
    const key = keyOf(cur);
    if (old.metadata.uid !== cur.metadata.uid) {
      this.forget(key);
    }
    // A spec change is acted on now; status-only updates (our own writes) wait for the period.
    if (
      old.metadata.generation !== cur.metadata.generation ||
      old.metadata.uid !== cur.metadata.uid
    ) {
      this.queue.add(key);
    } else {
      this.queue.addAfter(key, this.options.syncPeriodMs);
    }
  }

  private forget(key: string): void {
    this.states.delete(key);
    this.ctx.selectors.delete(key);
  }
}
