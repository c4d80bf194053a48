// The worker loop every controller runs (client-go's processNextWorkItem): get a key, sync it,
// forget it on success or re-add it rate-limited on failure, then mark it done.
import type { Logger } from 'pino';
import type { WorkQueue } from '../../lib/workqueue.js';

export interface SyncResult {
  /** Run the key again after this delay even though it succeeded (work due later). */
  requeueAfterMs?: number;
}

/** Runs `workers` loops over queue until it is shut down (signal abort). */
export async function runWorkers(opts: {
  name: string;
  queue: WorkQueue;
  workers: number;
  signal: AbortSignal;
  log: Logger;
  sync: (key: string) => Promise<SyncResult | void>;
}): Promise<void> {
  const { queue, signal, log } = opts;
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) {
        return;
      }
      try {
        const result = await opts.sync(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) {
          queue.addAfter(key, result.requeueAfterMs);
        }
      } catch (err) {
        log.warn({ err, key, controller: opts.name }, 'sync failed, will retry');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
      // Yield to the event loop between items: with the in-process client a sync never waits
      // on I/O, so without this a cascade of syncs would starve HTTP requests and watch streams,
      // and the queue could never merge repeated keys.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, () => worker()));
}
