// Pod backoff of the default profile and the parking of unschedulable pods.
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../lib/workqueue.js';
import { backoffDurationMs, SchedulingBackoff } from './scheduling-queue.js';

describe('backoffDurationMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [40, 10_000],
  ])('after %d attempts: %d ms', (attempts, ms) => {
    expect(backoffDurationMs(attempts)).toBe(ms);
  });
});

describe('SchedulingBackoff', () => {
  it('parks an unschedulable pod until a cluster event, then honours the backoff', async () => {
    const queue = new WorkQueue();
    let now = 0;
    const backoff = new SchedulingBackoff(queue, () => now);
    const cycle = backoff.startAttempt('default/p');
    backoff.parkUnschedulable('default/p', cycle);
    expect(queue.length).toBe(0);
    now = 5_000; // past the 1 s backoff
    backoff.moveAll();
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('default/p');
  });

  it('retries at once if a cluster event came during the attempt', () => {
    const queue = new WorkQueue();
    let now = 0;
    const backoff = new SchedulingBackoff(queue, () => now);
    const cycle = backoff.startAttempt('default/p');
    backoff.moveAll();
    now = 2_000;
    backoff.parkUnschedulable('default/p', cycle);
    expect(queue.length).toBe(1);
    expect(backoff.has('default/p')).toBe(true);
  });

  it('flushes pods parked for more than five minutes', () => {
    const queue = new WorkQueue();
    let now = 0;
    const backoff = new SchedulingBackoff(queue, () => now);
    backoff.parkUnschedulable('default/none', backoff.startAttempt('default/p'));
    backoff.parkUnschedulable('default/p', 0);
    now = 4 * 60_000;
    backoff.flushLeftover();
    expect(queue.length).toBe(0);
    now = 6 * 60_000;
    backoff.flushLeftover();
    expect(queue.length).toBe(1);
  });
});
