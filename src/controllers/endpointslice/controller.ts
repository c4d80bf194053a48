// The endpointslice controller: every Service with a selector gets EndpointSlices (up to 100
// endpoints each, one set per port set) listing its pods with ready/serving/terminating
// conditions (upstream pkg/controller/endpointslice/endpointslice_controller.go).
import type { Logger } from 'pino';
import type { Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTSLICES, PODS, SERVICES } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { realClock } from '../../lib/clock.js';
import { ApiError, isNotFound } from '../../lib/errors.js';
import { compareStrings, labelSelectorFromSet } from '../../lib/labels.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncResult } from '../common/run-workers.js';
import type { TriggerTimeState } from '../endpoints/addresses.js';
import {
  computeTriggerTime,
  hasSelector,
  servicesSelecting,
  servicesToUpdateOnPodChange,
} from '../endpoints/addresses.js';
import { CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './endpoint.js';
import { reconcileSlices } from './reconciler.js';
import type { SlicePlan } from './reconciler.js';
import { EndpointSliceTracker } from './tracker.js';
import type { EndpointSlice } from './types.js';

/** Look again this soon when our own last writes have not reached the cache yet. */
const STALE_RETRY_MS = 20;

export interface EndpointSliceControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  workers?: number;
  /** Upstream's --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
}

function aborted(signal: AbortSignal): Promise<false> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
    }
    signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    err.reason === 'Forbidden' &&
    (err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') === true ||
      err.message.endsWith('because it is being terminated'))
  );
}

const isManaged = (slice: KubeObject): boolean =>
  slice.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;

/** The Service key a slice belongs to, from its service-name label. */
function serviceKeyOf(slice: KubeObject): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

export class EndpointSliceController {
  private readonly queue = new WorkQueue();
  private readonly client: Client;
  private readonly log: Logger;
  private readonly workers: number;
  private readonly maxEndpointsPerSlice: number | undefined;
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly slices: Informer;
  private readonly recorder: EventRecorder;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new Map<string, TriggerTimeState>();

  constructor(deps: EndpointSliceControllerDeps) {
    this.client = deps.client;
    this.log = deps.log;
    this.workers = deps.workers ?? 5;
    this.maxEndpointsPerSlice = deps.maxEndpointsPerSlice;
    const clock = deps.clock ?? realClock;
    this.recorder = new EventRecorder(deps.client, 'endpoint-slice-controller', deps.log, () =>
      clock.now(),
    );
    this.services = deps.informers.informerFor(SERVICES);
    this.pods = deps.informers.informerFor(PODS);
    this.slices = deps.informers.informerFor(ENDPOINTSLICES);
    this.services.addEventHandler({
      onAdd: (svc) => this.queue.add(keyOf(svc)),
      onUpdate: (_old, svc) => this.queue.add(keyOf(svc)),
      onDelete: (svc) => this.queue.add(keyOf(svc)),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, pod) => this.updatePod(old, pod),
      onDelete: (pod) => this.addPod(pod),
    });
    this.slices.addEventHandler({
      onAdd: (slice) => this.onSliceChange(slice),
      onUpdate: (old, slice) => {
        // A changed service-name or managed-by label concerns the old owner too.
        if (serviceKeyOf(old) !== serviceKeyOf(slice) || isManaged(old) !== isManaged(slice)) {
          this.queueFor(old);
          this.queueFor(slice);
          return;
        }
        this.onSliceChange(slice);
      },
      onDelete: (slice) => {
        const key = serviceKeyOf(slice);
        if (key && isManaged(slice)) {
          this.tracker.sliceGone(key, slice.metadata.name ?? '');
          this.queue.add(key);
        }
      },
    });
  }

  private addPod(pod: KubeObject): void {
    const services = this.services.list(pod.metadata.namespace);
    servicesSelecting(services, pod.metadata.labels).forEach((key) => this.queue.add(key));
  }

  private updatePod(old: KubeObject, pod: KubeObject): void {
    const services = this.services.list(pod.metadata.namespace);
    servicesToUpdateOnPodChange(services, old, pod).forEach((key) => this.queue.add(key));
  }

  /** Someone else changed one of our slices: put it right. Our own echoes need nothing. */
  private onSliceChange(slice: KubeObject): void {
    const key = serviceKeyOf(slice);
    if (key && isManaged(slice) && !this.tracker.isOwnWrite(key, slice)) {
      this.queue.add(key);
    }
  }

  private queueFor(slice: KubeObject): void {
    const key = serviceKeyOf(slice);
    if (key) {
      this.queue.add(key);
    }
  }

  /** Waits for the caches, then runs workers until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const synced = Promise.all([
      this.services.waitForSync(),
      this.pods.waitForSync(),
      this.slices.waitForSync(),
    ]).then(() => true);
    if (!(await Promise.race([synced, aborted(signal)]))) {
      return;
    }
    await runWorkers({
      name: 'endpointslice',
      queue: this.queue,
      workers: this.workers,
      signal,
      log: this.log,
      sync: (key) => this.sync(key),
    });
    await this.recorder.flush();
  }

  /** The managed slices of a Service in the cache, those pending deletion included. */
  private cachedSlices(namespace: string, name: string): EndpointSlice[] {
    return this.slices
      .list(namespace)
      .filter((s) => isManaged(s) && s.metadata.labels?.[LABEL_SERVICE_NAME] === name);
  }

  /** Reconciles the EndpointSlices of one Service key (`namespace/name`). */
  async sync(key: string): Promise<SyncResult | void> {
    const { namespace, name } = splitKey(key);
    const svc: Service | undefined = this.services.get(namespace, name);
    if (!svc) {
      await this.deleteOrphans(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) {
      return;
    }
    const selector = labelSelectorFromSet(svc.spec?.selector);
    const pods = this.pods
      .list(namespace)
      .filter((p) => selector.matches(p.metadata.labels ?? {}))
      .sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
    const cached = this.cachedSlices(namespace, name);
    if (this.tracker.isStale(key, cached)) {
      return { requeueAfterMs: STALE_RETRY_MS };
    }
    const trigger = computeTriggerTime(this.triggerTimes.get(key), svc, pods);
    this.triggerTimes.set(key, trigger.state);
    const plan = reconcileSlices({
      service: svc,
      pods: pods,
      existing: cached.filter((s) => !s.metadata.deletionTimestamp),
      triggerMs: trigger.triggerMs,
      ...(this.maxEndpointsPerSlice ? { maxEndpointsPerSlice: this.maxEndpointsPerSlice } : {}),
    });
    try {
      await this.apply(key, plan);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const text = `Error updating Endpoint Slices for Service ${namespace}/${name}: ${message}`;
      this.recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', text);
      throw err;
    }
  }

  /** finalize: creates, then updates, then deletes. */
  private async apply(key: string, plan: SlicePlan): Promise<void> {
    for (const slice of plan.toCreate) {
      try {
        this.tracker.written(key, await this.client.create(ENDPOINTSLICES, slice));
      } catch (err) {
        if (isNamespaceTerminating(err)) {
          return;
        }
        throw err;
      }
    }
    for (const slice of plan.toUpdate) {
      const replaced = slice.metadata.resourceVersion;
      this.tracker.written(key, await this.client.update(ENDPOINTSLICES, slice), replaced);
    }
    for (const slice of plan.toDelete) {
      await this.deleteSlice(key, slice);
    }
  }

  private async deleteSlice(key: string, slice: EndpointSlice): Promise<void> {
    const { name = '', namespace = '' } = slice.metadata;
    try {
      await this.client.delete(ENDPOINTSLICES, namespace, name);
      this.tracker.deleted(key, name);
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
  }

  /**
   * The Service is gone. Upstream leaves its slices to the garbage collector (they carry an
   * ownerReference); kubeproc deletes them here too so they go even without one running.
   */
  private async deleteOrphans(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    this.triggerTimes.delete(key);
    for (const slice of this.cachedSlices(namespace, name)) {
      await this.deleteSlice(key, slice);
    }
    this.tracker.deleteService(key);
  }
}
