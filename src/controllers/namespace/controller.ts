// The namespace controller: a namespace marked for deletion is emptied of every namespaced
// object, then its `kubernetes` finalizer is removed so the API server deletes it
// (upstream pkg/controller/namespace, namespaced_resources_deleter.go).
import type { Logger } from 'pino';
import type { KubeObject } from '../../apis/meta.js';
import type { Client, ServerResource } from '../../client/client.js';
import { keyOf } from '../../client/informer.js';
import type { SharedInformerFactory } from '../../client/informer.js';
import { NAMESPACES } from '../../client/resources.js';
import { isConflict, isNotFound } from '../../lib/errors.js';
import { WorkQueue } from '../../lib/workqueue.js';

const FINALIZER = 'kubernetes';
/** How soon to look again while objects are still terminating (pods in their grace period). */
const RECHECK_MS = 1000;

export class NamespaceController {
  private readonly queue = new WorkQueue();
  private readonly namespaces;
  private resources: ServerResource[] | undefined;

  constructor(
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly log: Logger,
  ) {
    this.namespaces = informers.informerFor(NAMESPACES);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  private enqueue(ns: KubeObject): void {
    if (ns.metadata.deletionTimestamp) {
      this.queue.add(keyOf(ns));
    }
  }

  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await this.namespaces.waitForSync();
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) {
        return;
      }
      try {
        const remaining = await this.sync(key);
        this.queue.forget(key);
        if (remaining > 0) {
          this.queue.addAfter(key, RECHECK_MS);
        }
      } catch (err) {
        this.log.warn({ err, namespace: key }, 'namespace: sync failed, retrying');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Deletes what is left in the namespace; returns how many objects still remain. */
  async sync(name: string): Promise<number> {
    const ns = this.namespaces.get('', name);
    if (!ns?.metadata.deletionTimestamp) {
      return 0;
    }
    this.resources ??= (await this.client.serverResources()).filter(
      (r) => r.namespaced && r.verbs.includes('delete') && r.verbs.includes('list'),
    );
    let remaining = 0;
    for (const r of this.resources) {
      const list = await this.client.list(r.ref, { namespace: name });
      remaining += list.items.length;
      for (const item of list.items) {
        if (!item.metadata.deletionTimestamp) {
          await this.deleteIgnoringGone(r, name, item.metadata.name ?? '');
        }
      }
    }
    if (remaining === 0) {
      await this.finalize(ns);
    }
    return remaining;
  }

  private async deleteIgnoringGone(
    r: ServerResource,
    namespace: string,
    name: string,
  ): Promise<void> {
    try {
      await this.client.delete(r.ref, namespace, name, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
  }

  private async finalize(ns: KubeObject): Promise<void> {
    const finalizers = (
      (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []
    ).filter((f) => f !== FINALIZER);
    try {
      await this.client.patch(NAMESPACES, '', ns.metadata.name ?? '', 'merge', {
        metadata: { resourceVersion: ns.metadata.resourceVersion },
        spec: { finalizers },
      });
    } catch (e) {
      // A newer version exists: the informer will bring it and requeue us.
      if (!isNotFound(e) && !isConflict(e)) {
        throw e;
      }
    }
  }
}
