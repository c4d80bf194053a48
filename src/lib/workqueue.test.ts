import { describe, expect, it } from 'vitest';
import { WorkQueue } from './workqueue.js';

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key to two workers; re-runs it once after done if re-added', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    q.add('a');
    q.add('a');
    expect(q.length).toBe(0);
    q.done(first ?? '');
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('wakes a waiting worker and ends waiters on shutdown', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.add('x');
    expect(await waiting).toBe('x');
    const idle = q.get();
    q.shutDown();
    expect(await idle).toBeUndefined();
  });

  it('backs off per key and forgets on success', async () => {
    const q = new WorkQueue({ baseDelayMs: 20 });
    const start = Date.now();
    q.addRateLimited('k');
    q.addRateLimited('k');
    expect(await q.get()).toBe('k');
    expect(Date.now() - start).toBeGreaterThanOrEqual(15);
    q.done('k');
    q.forget('k');
    q.addAfter('later', 30);
    q.add('now');
    expect(await q.get()).toBe('now');
    expect(await q.get()).toBe('later');
  });
});
