// The serviceaccounts controller: every active namespace has a `default` ServiceAccount
// (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go).
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import { keyOf } from '../../client/informer.js';
import type { SharedInformerFactory } from '../../client/informer.js';
import { NAMESPACES, SERVICEACCOUNTS } from '../../client/resources.js';
import { isAlreadyExists } from '../../lib/errors.js';
import { WorkQueue } from '../../lib/workqueue.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export class ServiceAccountsController {
  private readonly queue = new WorkQueue();
  private readonly namespaces;
  private readonly serviceAccounts;

  constructor(
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly log: Logger,
  ) {
    this.namespaces = informers.informerFor(NAMESPACES);
    this.serviceAccounts = informers.informerFor(SERVICEACCOUNTS);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(keyOf(ns)),
      onUpdate: (_old, ns) => this.queue.add(keyOf(ns)),
    });
    this.serviceAccounts.addEventHandler({
      onDelete: (sa) => this.queue.add(sa.metadata.namespace ?? ''),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await Promise.all([this.namespaces.waitForSync(), this.serviceAccounts.waitForSync()]);
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) {
        return;
      }
      try {
        await this.sync(key);
        this.queue.forget(key);
      } catch (err) {
        this.log.warn({ err, key }, 'serviceaccounts: sync failed, retrying');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get('', namespace);
    if (!ns || ns.metadata.deletionTimestamp) {
      return;
    }
    if (this.serviceAccounts.get(namespace, DEFAULT_SERVICE_ACCOUNT)) {
      return;
    }
    try {
      await this.client.create(
        SERVICEACCOUNTS,
        { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } },
        { fieldManager: 'kube-controller-manager' },
      );
    } catch (e) {
      if (!isAlreadyExists(e)) {
        throw e;
      }
    }
  }
}
