// The endpoints controller: every Service with a selector gets an Endpoints object of the same
// name listing its pods' addresses, ready or not; it goes when the Service goes
// (upstream pkg/controller/endpoint/endpoints_controller.go).
import type { Logger } from 'pino';
import type { Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { Informer, SharedInformerFactory } from '../../client/informer.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { realClock } from '../../lib/clock.js';
import { ApiError, isNotFound } from '../../lib/errors.js';
import { labelSelectorFromSet } from '../../lib/labels.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { runWorkers } from '../common/run-workers.js';
import type { SyncResult } from '../common/run-workers.js';
import type { TriggerTimeState } from './addresses.js';
import {
  computeTriggerTime,
  hasSelector,
  servicesSelecting,
  servicesToUpdateOnPodChange,
} from './addresses.js';
import { desiredEndpoints } from './sync.js';
import type { Endpoints } from './types.js';

const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** Look again this soon when our own last write has not reached the cache yet. */
const STALE_RETRY_MS = 20;

export interface EndpointsControllerDeps {
  client: Client;
  informers: SharedInformerFactory;
  log: Logger;
  clock?: Clock;
  workers?: number;
}

/** Namespace terminating: creates fail until it is gone, so retrying cannot help. */
function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    err.reason === 'Forbidden' &&
    (err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') === true ||
      err.message.endsWith('because it is being terminated'))
  );
}

/** Resolves false once signal aborts, so a start() waiting for caches can give up. */
function aborted(signal: AbortSignal): Promise<false> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
    }
    signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

export class EndpointsController {
  private readonly queue = new WorkQueue();
  private readonly client: Client;
  private readonly log: Logger;
  private readonly workers: number;
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly endpoints: Informer;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new Map<string, TriggerTimeState>();
  /** Service key → the Endpoints resourceVersion our last write replaced (or '' for a create). */
  private readonly staleVersions = new Map<string, string>();

  constructor(deps: EndpointsControllerDeps) {
    this.client = deps.client;
    this.log = deps.log;
    this.workers = deps.workers ?? 5;
    const clock = deps.clock ?? realClock;
    this.recorder = new EventRecorder(deps.client, 'endpoint-controller', deps.log, () =>
      clock.now(),
    );
    this.services = deps.informers.informerFor(SERVICES);
    this.pods = deps.informers.informerFor(PODS);
    this.endpoints = deps.informers.informerFor(ENDPOINTS);
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
    this.endpoints.addEventHandler({
      // Only the cache catching up with our own write, or a deletion, needs a sync.
      onAdd: (ep) => this.onEndpointsSeen(ep),
      onUpdate: (_old, ep) => this.onEndpointsSeen(ep),
      onDelete: (ep) => {
        this.staleVersions.delete(keyOf(ep));
        this.queue.add(keyOf(ep));
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

  private onEndpointsSeen(ep: KubeObject): void {
    if (this.staleVersions.has(keyOf(ep))) {
      this.queue.add(keyOf(ep));
    }
  }

  /** Waits for the caches, queues leftover Endpoints, then runs workers until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const synced = Promise.all([
      this.services.waitForSync(),
      this.pods.waitForSync(),
      this.endpoints.waitForSync(),
    ]).then(() => true);
    if (!(await Promise.race([synced, aborted(signal)]))) {
      return;
    }
    // checkLeftoverEndpoints: Endpoints whose Service went while we were not running.
    for (const ep of this.endpoints.list()) {
      if (ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined) {
        this.queue.add(keyOf(ep));
      }
    }
    await runWorkers({
      name: 'endpoint',
      queue: this.queue,
      workers: this.workers,
      signal,
      log: this.log,
      sync: (key) => this.sync(key),
    });
    await this.recorder.flush();
  }

  /** Reconciles the Endpoints of one Service key (`namespace/name`). */
  async sync(key: string): Promise<SyncResult | void> {
    const { namespace, name } = splitKey(key);
    const svc: Service | undefined = this.services.get(namespace, name);
    if (!svc) {
      await this.deleteEndpoints(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) {
      return; // their Endpoints, if any, are the user's
    }
    const selector = labelSelectorFromSet(svc.spec?.selector);
    const pods = this.pods.list(namespace).filter((p) => selector.matches(p.metadata.labels ?? {}));
    // Computed before any early return so the tracker sees every sync, as upstream.
    const trigger = computeTriggerTime(this.triggerTimes.get(key), svc, pods);
    this.triggerTimes.set(key, trigger.state);
    const current: Endpoints | undefined = this.endpoints.get(namespace, name);
    if (this.isStale(key, current)) {
      return { requeueAfterMs: STALE_RETRY_MS };
    }
    const next = desiredEndpoints(svc, pods, current, trigger.triggerMs);
    if (next) {
      await this.write(key, next, current);
    }
  }

  private async deleteEndpoints(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    this.triggerTimes.delete(key);
    this.staleVersions.delete(key);
    try {
      await this.client.delete(ENDPOINTS, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
  }

  /** Our last write has not reached the cache: writing now would conflict or duplicate. */
  private isStale(key: string, current: Endpoints | undefined): boolean {
    const replaced = this.staleVersions.get(key);
    if (replaced === undefined) {
      return false;
    }
    const stale = replaced === '' ? !current : current?.metadata.resourceVersion === replaced;
    if (!stale) {
      this.staleVersions.delete(key);
    }
    return stale;
  }

  private async write(key: string, next: Endpoints, current: Endpoints | undefined): Promise<void> {
    const { namespace, name } = splitKey(key);
    try {
      const written = current
        ? await this.client.update(ENDPOINTS, next)
        : await this.client.create(ENDPOINTS, next);
      if (written.metadata.resourceVersion !== current?.metadata.resourceVersion) {
        this.staleVersions.set(key, current?.metadata.resourceVersion ?? '');
      }
    } catch (err) {
      if (!current && isNamespaceTerminating(err)) {
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      if (current) {
        const text = `Failed to update endpoint ${namespace}/${name}: ${message}`;
        this.recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', text);
      } else {
        const text = `Failed to create endpoint for service ${namespace}/${name}: ${message}`;
        this.recorder.event(next, 'Warning', 'FailedToCreateEndpoint', text);
      }
      throw err;
    }
  }
}
