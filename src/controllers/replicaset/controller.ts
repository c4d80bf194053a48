// The ReplicaSet controller: informer handlers map ReplicaSet and pod events to ReplicaSet keys
// and record observed creates and deletes; workers run sync.ts (upstream replica_set.go).
import type { Logger } from 'pino';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { ReplicaSet } from '../../apis/apps/v1/defaults.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { PODS, REPLICASETS } from '../../client/resources.js';
import { realClock } from '../../lib/clock.js';
import type { Clock } from '../../lib/clock.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { controllerOf } from '../common/owner-refs.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncResult } from '../common/run-workers.js';
import { ControllerExpectations } from './expectations.js';
import { PodControl } from './pod-control.js';
import { podKey, syncReplicaSet } from './sync.js';
import type { SyncContext } from './sync.js';

/** Workers by default (kube-controller-manager's --concurrent-replicaset-syncs). */
export const DEFAULT_WORKERS = 5;
const KIND = 'ReplicaSet';

export interface ReplicaSetControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  workers?: number;
}

export class ReplicaSetController {
  private readonly queue = new WorkQueue();
  private readonly replicaSets: Informer;
  private readonly pods: Informer;
  private readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly ctx: SyncContext;
  private readonly workers: number;
  private readonly log: Logger;

  constructor(deps: ReplicaSetControllerDeps) {
    const clock = deps.clock ?? realClock;
    this.log = deps.log;
    this.workers = deps.workers ?? DEFAULT_WORKERS;
    this.replicaSets = deps.informers.informerFor(REPLICASETS);
    this.pods = deps.informers.informerFor(PODS);
    this.expectations = new ControllerExpectations(clock);
    this.recorder = new EventRecorder(deps.client, 'replicaset-controller', deps.log, () =>
      clock.now(),
    );
    this.ctx = {
      client: deps.client,
      rsLister: this.replicaSets,
      podLister: this.pods,
      expectations: this.expectations,
      podControl: new PodControl(deps.client, this.recorder),
      clock,
      log: deps.log,
    };
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.queue.add(keyOf(rs)),
      onUpdate: (old, cur) => this.updateRS(old, cur),
      onDelete: (rs) => this.deleteRS(rs),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  /** Waits for the informers to sync, then runs the workers until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const synced = Promise.all([this.replicaSets.waitForSync(), this.pods.waitForSync()]);
    await Promise.race([synced, aborted]);
    if (signal.aborted) {
      this.queue.shutDown();
      return;
    }
    await runWorkers({
      name: 'replicaset',
      queue: this.queue,
      workers: this.workers,
      signal,
      log: this.log,
      sync: (key) => this.sync(key),
    });
    await this.recorder.flush();
  }

  /** Reconciles one ReplicaSet key. */
  sync(key: string): Promise<SyncResult> {
    return syncReplicaSet(this.ctx, key);
  }

  private updateRS(old: KubeObject, cur: KubeObject): void {
    // A delete and re-create under one name seen as an update: forget the old one's state.
    if (old.metadata.uid !== cur.metadata.uid) {
      this.deleteRS(old);
    }
    this.queue.add(keyOf(cur));
  }

  private deleteRS(rs: KubeObject): void {
    const key = keyOf(rs);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  private addPod(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      // Already being deleted (seen after a restart): not a creation.
      this.deletePod(pod);
      return;
    }
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (rs) {
        this.expectations.creationObserved(keyOf(rs));
        this.queue.add(keyOf(rs));
      }
      return;
    }
    // An orphan: wake every ReplicaSet that might adopt it.
    this.podReplicaSets(pod).forEach((rs) => this.queue.add(keyOf(rs)));
  }

  private updatePod(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) {
      return;
    }
    const labelChanged = !sameLabels(old, cur);
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: replace the pod now, not when it finally goes.
      this.deletePod(cur);
      if (labelChanged) {
        this.deletePod(old);
      }
      return;
    }
    const [curRef, oldRef] = [controllerOf(cur), controllerOf(old)];
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      this.enqueueOwner(old.metadata.namespace ?? '', oldRef);
    }
    if (curRef) {
      this.enqueueOwner(cur.metadata.namespace ?? '', curRef);
      return;
    }
    if (labelChanged || refChanged) {
      this.podReplicaSets(cur).forEach((rs) => this.queue.add(keyOf(rs)));
    }
  }

  private deletePod(pod: KubeObject): void {
    const ref = controllerOf(pod);
    const rs = ref && this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!rs) {
      return;
    }
    this.expectations.deletionObserved(keyOf(rs), podKey(pod));
    this.queue.add(keyOf(rs));
  }

  private enqueueOwner(namespace: string, ref: OwnerReference): void {
    const rs = this.resolveControllerRef(namespace, ref);
    if (rs) {
      this.queue.add(keyOf(rs));
    }
  }

  /** The ReplicaSet a controllerRef names, if it exists with that uid. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind !== KIND) {
      return undefined;
    }
    const rs = this.replicaSets.get(namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose (non-empty, valid) selector matches pod's labels (GetPodReplicaSets). */
  private podReplicaSets(pod: KubeObject): KubeObject[] {
    const matching = this.replicaSets.list(pod.metadata.namespace ?? '').filter((rs) => {
      try {
        const selector = labelSelectorFromObject((rs as ReplicaSet).spec?.selector);
        // An empty selector must match nothing here, not everything.
        return !selector.isEmpty() && selector.matches(pod.metadata.labels);
      } catch {
        return false; // An invalid selector matches no pods.
      }
    });
    if (matching.length > 1) {
      this.log.warn(
        { labels: pod.metadata.labels },
        'user error! more than one ReplicaSet is selecting pods with labels',
      );
    }
    return matching;
  }
}

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  const [la, lb] = [a.metadata.labels ?? {}, b.metadata.labels ?? {}];
  const keys = Object.keys(la);
  return keys.length === Object.keys(lb).length && keys.every((k) => la[k] === lb[k]);
}
