// The garbage collector: wiring of the graph builder, the attemptToDelete and attemptToOrphan
// queues and their workers (port of upstream pkg/controller/garbagecollector/garbagecollector.go).
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Client, ServerResource } from '../../client/client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { SharedInformerFactory } from '../../client/informer.js';
import { WorkQueue } from '../../lib/workqueue.js';
import { runWorkers } from '../common/run-workers.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { AttemptToDelete } from './attempt-to-delete.js';
import { attemptToOrphan } from './attempt-to-orphan.js';
import { DependencyGraph } from './graph.js';
import { GraphBuilder } from './graph-builder.js';
import { Operations } from './operations.js';
import { deletableResources, ResourceMapper } from './resources.js';

/** kube-controller-manager's --concurrent-gc-syncs default. */
const DEFAULT_WORKERS = 20;
const DISCOVERY_RETRY_MS = 1000;
const COMPONENT = 'garbage-collector-controller';

export interface GarbageCollectorDeps {
  client: Client;
  /**
   * Accepted for the registry's uniform signature, not used: the collector finds its resources
   * by discovery in start(), after the factory has started, and the factory cannot start
   * informers added later, so the collector creates and starts its own.
   */
  informers: SharedInformerFactory;
  log: Logger;
  workers?: number;
}

export class GarbageCollector {
  private readonly graph = new DependencyGraph();
  private readonly absentOwners = new AbsentOwnerCache();
  private readonly mapper = new ResourceMapper();
  private readonly attemptToDeleteQueue = new WorkQueue();
  private readonly attemptToOrphanQueue = new WorkQueue();
  private readonly ops: Operations;
  private readonly builder: GraphBuilder;
  private readonly attemptToDelete: AttemptToDelete;

  constructor(private readonly deps: GarbageCollectorDeps) {
    const { client, log } = deps;
    this.ops = new Operations(client);
    this.builder = new GraphBuilder({
      client,
      log,
      graph: this.graph,
      absentOwners: this.absentOwners,
      recorder: new EventRecorder(client, COMPONENT, log),
      attemptToDelete: this.attemptToDeleteQueue,
      attemptToOrphan: this.attemptToOrphanQueue,
    });
    this.attemptToDelete = new AttemptToDelete({
      client,
      log,
      graph: this.graph,
      ops: this.ops,
      mapper: this.mapper,
      absentOwners: this.absentOwners,
      attemptToDelete: this.attemptToDeleteQueue,
    });
  }

  /** Discovers resources, builds the graph, then runs the workers until signal aborts. */
  async start(outer: AbortSignal): Promise<void> {
    if (outer.aborted) {
      return;
    }
    // One listener per informer and queue: more than EventTarget's warning threshold of 10.
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    outer.addEventListener('abort', () => inner.abort(), { once: true });
    await this.run(inner.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const served = await this.discover(signal);
    if (!served || signal.aborted) {
      return;
    }
    this.mapper.set(served);
    const monitors = this.builder.runMonitors(deletableResources(served), signal);
    const isSynced = await this.builder.waitForSync(signal);
    if (!isSynced || signal.aborted) {
      await monitors;
      return;
    }
    this.deps.log.info({ objects: this.graph.size }, 'synced garbage collector');
    const { log } = this.deps;
    const workers = this.deps.workers ?? DEFAULT_WORKERS;
    await Promise.all([
      monitors,
      runWorkers({
        name: 'garbage-collector',
        queue: this.attemptToDeleteQueue,
        workers,
        signal,
        log,
        sync: (uid) => this.attemptToDelete.sync(uid),
      }),
      runWorkers({
        name: 'garbage-collector-orphan',
        queue: this.attemptToOrphanQueue,
        workers,
        signal,
        log,
        sync: (uid) => attemptToOrphan({ graph: this.graph, ops: this.ops }, uid),
      }),
    ]);
  }

  /** serverResources(), retried until it answers; undefined if signal aborts first. */
  private async discover(signal: AbortSignal): Promise<ServerResource[] | undefined> {
    while (!signal.aborted) {
      try {
        return await this.deps.client.serverResources();
      } catch (err) {
        this.deps.log.warn({ err }, 'garbage collector: discovery failed, retrying');
        await sleep(DISCOVERY_RETRY_MS, signal);
      }
    }
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
