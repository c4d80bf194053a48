// Writes status.loadBalancer.ingress of the Ingresses we serve ([{ip: 127.0.0.1}] like
// ingress-nginx, plus ports when they are not 80/443) and clears it from Ingresses we no longer
// serve. A workqueue keeps one write per key in flight and retries failures with backoff.
import type { Logger } from 'pino';
import type { Client } from '../../client/client.js';
import { splitKey } from '../../client/informer.js';
import type { Lister } from '../../client/informer.js';
import { INGRESSES } from '../../client/resources.js';
import { isNotFound } from '../../lib/errors.js';
import { WorkQueue } from '../../lib/workqueue.js';
import type { Ingress, LoadBalancerIngress } from './types.js';

export interface StatusWriterDeps {
  client: Client;
  ingresses: Lister;
  /** The wanted status.loadBalancer.ingress, null to clear it, undefined to leave it alone. */
  desired: (ing: Ingress) => LoadBalancerIngress[] | null | undefined;
  log: Logger;
}

/** The status entries we write for one listener address and its ports. */
export function loadBalancerStatus(
  ip: string,
  httpPort: number,
  httpsPort: number | undefined,
): LoadBalancerIngress[] {
  const isStandard = httpPort === 80 && (httpsPort === undefined || httpsPort === 443);
  if (isStandard) {
    return [{ ip }];
  }
  const ports = [{ port: httpPort, protocol: 'TCP' }];
  if (httpsPort !== undefined) {
    ports.push({ port: httpsPort, protocol: 'TCP' });
  }
  return [{ ip, ports }];
}

export class IngressStatusWriter {
  private readonly queue = new WorkQueue({ baseDelayMs: 50, maxDelayMs: 30_000 });

  constructor(private readonly deps: StatusWriterDeps) {}

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Runs the writer until signal aborts. */
  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) {
        return;
      }
      try {
        await this.sync(key);
        this.queue.forget(key);
      } catch (err) {
        this.deps.log.warn({ err, ingress: key }, 'ingress status update failed, will retry');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ing: Ingress | undefined = this.deps.ingresses.get(namespace, name);
    if (!ing) {
      return;
    }
    const want = this.deps.desired(ing);
    const have = ing.status?.loadBalancer?.ingress ?? [];
    if (want === undefined || JSON.stringify(have) === JSON.stringify(want ?? [])) {
      return;
    }
    try {
      await this.deps.client.patch(
        INGRESSES,
        namespace,
        name,
        'merge',
        { status: { loadBalancer: { ingress: want } } },
        { subresource: 'status', fieldManager: 'kubeproc-ingress' },
      );
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
  }
}
