// The scheduler loop: pod and node informer handlers feed a queue of pending pod keys and wake
// parked pods on cluster changes; one worker runs sync.ts, as upstream schedules one at a time.
import type { Logger } from 'pino';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { NODES, PODS } from '../../client/resources.js';
import { realClock } from '../../lib/clock.js';
import type { Clock } from '../../lib/clock.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { isPodTerminal } from '../common/pod-util.js';
import { runWorkers } from '../common/run-workers.js';
import {
  FLUSH_INTERVAL_MS,
  POD_INITIAL_BACKOFF_MS,
  POD_MAX_BACKOFF_MS,
  SchedulingBackoff,
} from './scheduling-queue.js';
import { DEFAULT_SCHEDULER_NAME, isPendingForUs, scheduleOne } from './sync.js';
import type { SyncContext } from './sync.js';

export interface SchedulerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  /** POSTs pods/<name>/binding (target: the Node); rejects with the API's error. */
  bind(pod: KubeObject, nodeName: string): Promise<void>;
}

export class Scheduler {
  // Errors thrown by sync (status writes) retry with the pod backoff's bounds.
  private readonly queue = new WorkQueue({
    baseDelayMs: POD_INITIAL_BACKOFF_MS,
    maxDelayMs: POD_MAX_BACKOFF_MS,
  });
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly backoff: SchedulingBackoff;
  private readonly recorder: EventRecorder;
  private readonly ctx: SyncContext;
  private readonly log: Logger;

  constructor(deps: SchedulerDeps) {
    const clock = deps.clock ?? realClock;
    this.log = deps.log;
    this.pods = deps.informers.informerFor(PODS);
    this.nodes = deps.informers.informerFor(NODES);
    this.backoff = new SchedulingBackoff(this.queue, () => clock.now().getTime());
    this.recorder = new EventRecorder(deps.client, DEFAULT_SCHEDULER_NAME, deps.log, () =>
      clock.now(),
    );
    this.ctx = {
      client: deps.client,
      podLister: this.pods,
      nodeLister: this.nodes,
      recorder: this.recorder,
      backoff: this.backoff,
      assumed: new Map(),
      bind: (pod, nodeName) => deps.bind(pod, nodeName),
      clock,
      log: deps.log,
    };
    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (pod) => this.deletePod(pod),
    });
    this.nodes.addEventHandler({
      onAdd: () => this.backoff.moveAll(),
      onUpdate: (old, cur) => {
        if (nodeSchedulingChanged(old, cur)) {
          this.backoff.moveAll();
        }
      },
    });
  }

  /** Waits for the informers to sync, then schedules until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await Promise.race([Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]), aborted]);
    if (signal.aborted) {
      this.queue.shutDown();
      return;
    }
    const flush = setInterval(() => this.backoff.flushLeftover(), FLUSH_INTERVAL_MS);
    flush.unref();
    try {
      await runWorkers({
        name: 'scheduler',
        queue: this.queue,
        workers: 1,
        signal,
        log: this.log,
        sync: (key) => scheduleOne(this.ctx, key),
      });
    } finally {
      clearInterval(flush);
    }
    await this.recorder.flush();
  }

  private addPod(pod: Pod): void {
    if (isPendingForUs(pod)) {
      this.queue.add(keyOf(pod));
    }
  }

  private updatePod(old: Pod, cur: Pod): void {
    const key = keyOf(cur);
    if (cur.spec?.nodeName) {
      this.ctx.assumed.delete(key);
      this.backoff.forget(key);
      // A bound pod that finished frees its node's resources and ports.
      if (old.spec?.nodeName && !isPodTerminal(old) && isPodTerminal(cur)) {
        this.backoff.moveAll();
      }
      return;
    }
    if (!isPendingForUs(cur)) {
      this.backoff.forget(key);
      return;
    }
    if (!this.backoff.has(key)) {
      this.queue.add(key);
    } else if (schedulingInputChanged(old, cur)) {
      // A waiting pod whose own spec or labels changed may fit now; status writes (ours
      // included) change nothing, and the backoff still applies.
      this.backoff.requeueWithBackoff(key);
    }
  }

  private deletePod(pod: Pod): void {
    const key = keyOf(pod);
    this.ctx.assumed.delete(key);
    this.backoff.forget(key);
    if (pod.spec?.nodeName && !isPodTerminal(pod)) {
      this.backoff.moveAll();
    }
  }
}

function schedulingInputChanged(old: Pod, cur: Pod): boolean {
  return (
    JSON.stringify([old.spec, old.metadata.labels, old.metadata.annotations]) !==
    JSON.stringify([cur.spec, cur.metadata.labels, cur.metadata.annotations])
  );
}

/** Whether a node update can change where pods fit (not a heartbeat-only status write). */
function nodeSchedulingChanged(old: KubeObject, cur: KubeObject): boolean {
  const view = (n: KubeObject): string => {
    const status = (n.status ?? {}) as {
      allocatable?: unknown;
      conditions?: { type: string; status?: string }[];
    };
    return JSON.stringify([
      n.spec,
      n.metadata.labels,
      status.allocatable,
      status.conditions?.map((c) => [c.type, c.status]),
    ]);
  };
  return view(old) !== view(cur);
}
