// The deployment controller's wiring (port of upstream deployment_controller.go): informers on
// deployments, replica sets and pods map each event to a deployment key; workers sync keys.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resources.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import { WorkQueue } from '../../lib/workqueue.js';
import type { KubeObject } from '../../apis/meta.js';
import { controllerOf } from '../common/owner-refs.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncDeps } from './run.js';
import { syncDeployment } from './sync.js';
import type { Deployment } from './types.js';

export class DeploymentController {
  private readonly queue = new WorkQueue();
  private readonly deployments: Informer;
  private readonly replicaSets: Informer;
  private readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly syncDeps: SyncDeps;
  private readonly workers: number;
  private readonly log: Logger;

  constructor(deps: {
    client: Client;
    informers: SharedInformerFactory;
    log: Logger;
    clock?: Clock;
    workers?: number;
  }) {
    const clock = deps.clock ?? realClock;
    this.log = deps.log;
    this.workers = deps.workers ?? 5;
    this.deployments = deps.informers.informerFor(DEPLOYMENTS);
    this.replicaSets = deps.informers.informerFor(REPLICASETS);
    this.pods = deps.informers.informerFor(PODS);
    this.recorder = new EventRecorder(deps.client, 'deployment-controller', deps.log, () =>
      clock.now(),
    );
    this.syncDeps = {
      client: deps.client,
      recorder: this.recorder,
      clock,
      replicaSets: this.replicaSets,
      pods: this.pods,
      log: deps.log,
    };
    this.deployments.addEventHandler({
      onAdd: (d) => this.queue.add(keyOf(d)),
      onUpdate: (_old, d) => this.queue.add(keyOf(d)),
      onDelete: (d) => this.queue.add(keyOf(d)),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, rs) => this.replicaSetUpdated(old, rs),
      onDelete: (rs) => this.enqueueOwner(rs),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  /** Waits for the caches, then syncs deployments until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      return;
    }
    const synced = Promise.all([
      this.deployments.waitForSync(),
      this.replicaSets.waitForSync(),
      this.pods.waitForSync(),
    ]);
    const aborted = new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Stopped before the caches filled: there is nothing to shut down yet.
    await Promise.race([synced, aborted]);
    if (signal.aborted) {
      return;
    }
    this.log.info({ controller: 'deployment', workers: this.workers }, 'starting controller');
    await runWorkers({
      name: 'deployment',
      queue: this.queue,
      workers: this.workers,
      signal,
      log: this.log,
      sync: (key) => syncDeployment(this.syncDeps, this.deployments, key),
    });
    await this.recorder.flush();
  }

  /** Resolves when every event recorded so far is written (for tests and shutdown). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  /** resolveControllerRef: the deployment a controllerRef names, if it still has that uid. */
  private ownerOf(obj: KubeObject): Deployment | undefined {
    const ref = controllerOf(obj);
    if (ref?.kind !== 'Deployment') {
      return undefined;
    }
    const d = this.deployments.get(obj.metadata.namespace ?? '', ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  /** Enqueues obj's owning deployment; true when obj has a controller at all. */
  private enqueueOwner(obj: KubeObject): boolean {
    const d = this.ownerOf(obj);
    if (d) {
      this.queue.add(keyOf(d));
    }
    return controllerOf(obj) !== undefined;
  }

  /** addReplicaSet: wake the owner, or every deployment that may adopt an orphan. */
  private replicaSetAdded(rs: KubeObject): void {
    if (!this.enqueueOwner(rs) && !rs.metadata.deletionTimestamp) {
      this.enqueueSelecting(rs);
    }
  }

  /** updateReplicaSet: wake the old and new owners, or would-be adopters of an orphan. */
  private replicaSetUpdated(old: KubeObject, rs: KubeObject): void {
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) {
      return;
    }
    const isOwnerChanged = controllerOf(old)?.uid !== controllerOf(rs)?.uid;
    if (isOwnerChanged) {
      this.enqueueOwner(old);
    }
    if (this.enqueueOwner(rs)) {
      return;
    }
    const isRelabelled = JSON.stringify(old.metadata.labels) !== JSON.stringify(rs.metadata.labels);
    if (isRelabelled || isOwnerChanged) {
      this.enqueueSelecting(rs);
    }
  }

  /** Enqueues deployments whose (non-empty) selector matches the orphan's labels. */
  private enqueueSelecting(rs: KubeObject): void {
    if (!rs.metadata.labels || Object.keys(rs.metadata.labels).length === 0) {
      return;
    }
    for (const d of this.deployments.list(rs.metadata.namespace)) {
      if (selects(d, rs)) {
        this.queue.add(keyOf(d));
      }
    }
  }

  /** A Recreate deployment waits for its old pods to go: wake it when one does. */
  private podDeleted(pod: KubeObject): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') {
      return;
    }
    const rs = this.replicaSets.get(pod.metadata.namespace ?? '', ref.name);
    const d = rs?.metadata.uid === ref.uid ? this.ownerOf(rs) : undefined;
    if (d?.spec?.strategy?.type === 'Recreate') {
      this.queue.add(keyOf(d));
    }
  }
}

function selects(d: Deployment, rs: KubeObject): boolean {
  try {
    const selector = labelSelectorFromObject(d.spec?.selector);
    return !selector.isEmpty() && selector.matches(rs.metadata.labels);
  } catch {
    // An invalid selector selects nothing.
    return false;
  }
}
