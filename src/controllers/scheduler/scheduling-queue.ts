// Retry bookkeeping of pods that failed to schedule (upstream internal/queue/scheduling_queue.go):
// per-pod backoff of 1 s doubling to 10 s, unschedulable pods parked until a cluster event
// (or 5 minutes), and events seen during an attempt counted so no wake-up is lost.
import type { WorkQueue } from '../../lib/workqueue.js';

/** podInitialBackoffSeconds and podMaxBackoffSeconds of the default profile. */
export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration: a parked pod is retried after this even without events. */
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
/** How often parked pods are checked against that limit. */
export const FLUSH_INTERVAL_MS = 30_000;

/** The backoff after `attempts` failed attempts: 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function backoffDurationMs(attempts: number): number {
  let ms = POD_INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    if (ms >= POD_MAX_BACKOFF_MS - ms) {
      return POD_MAX_BACKOFF_MS;
    }
    ms += ms;
  }
  return Math.min(ms, POD_MAX_BACKOFF_MS);
}

interface Entry {
  attempts: number;
  lastAttemptMs: number;
  /** Waiting for a cluster event (upstream's unschedulablePods). */
  isParked: boolean;
}

export class SchedulingBackoff {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every cluster event that may make parked pods schedulable (moveRequestCycle). */
  private moveCycle = 0;

  constructor(
    private readonly queue: WorkQueue,
    private readonly nowMs: () => number,
  ) {}

  /** Records an attempt starting now; returns the cycle to pass to the failure call. */
  startAttempt(key: string): number {
    const e = this.entries.get(key) ?? { attempts: 0, lastAttemptMs: 0, isParked: false };
    e.attempts++;
    e.lastAttemptMs = this.nowMs();
    e.isParked = false;
    this.entries.set(key, e);
    return this.moveCycle;
  }

  /** Whether key has failed before and waits (parked or backing off) for its retry. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** No node fits: wait for a cluster event, or retry after backoff if one came meanwhile. */
  parkUnschedulable(key: string, cycleAtStart: number): void {
    const e = this.entries.get(key);
    if (!e) {
      return;
    }
    if (this.moveCycle !== cycleAtStart) {
      this.requeueWithBackoff(key);
      return;
    }
    e.isParked = true;
  }

  /** Retry key once its backoff has passed (errors, and parked pods woken by an event). */
  requeueWithBackoff(key: string): void {
    const e = this.entries.get(key);
    if (!e) {
      this.queue.add(key);
      return;
    }
    e.isParked = false;
    const remaining = e.lastAttemptMs + backoffDurationMs(e.attempts) - this.nowMs();
    this.queue.addAfter(key, remaining);
  }

  /** A cluster event that may help any parked pod (node added or changed, pod gone). */
  moveAll(): void {
    this.moveCycle++;
    for (const [key, e] of this.entries) {
      if (e.isParked) {
        this.requeueWithBackoff(key);
      }
    }
  }

  /** Retries pods parked longer than the limit (flushUnschedulablePodsLeftover). */
  flushLeftover(): void {
    const now = this.nowMs();
    for (const [key, e] of this.entries) {
      if (e.isParked && now - e.lastAttemptMs > MAX_UNSCHEDULABLE_MS) {
        this.requeueWithBackoff(key);
      }
    }
  }

  /** The pod was scheduled, deleted or handed elsewhere. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
