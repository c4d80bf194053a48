// A Clock and Timers whose time moves only when a test says so: the OS-boundary double for the
// probe workers' tickers, delays and initialDelaySeconds arithmetic.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../lib/clock.js';
import type { Timers } from './types.js';

interface Pending {
  atMs: number;
  seq: number;
  callback: () => void;
}

/** Fake time for tests: `advance(ms)` fires due timers in order and lets their work settle. */
export class FakeTimers implements Clock, Timers {
  private nowMs: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start: Date = new Date('2025-01-01T00:00:00Z')) {
    this.nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  setTimeout(callback: () => void, delayMs: number): number {
    const id = ++this.seq;
    this.pending.set(id, { atMs: this.nowMs + Math.max(0, delayMs), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Timers still waiting to fire. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Lets promise chains and I/O callbacks started by fired timers run to their next wait. */
  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      await nextTurn();
    }
  }

  /** Moves time forward, firing every timer due on the way in order of due time. */
  async advance(ms: number): Promise<void> {
    const targetMs = this.nowMs + ms;
    await this.settle();
    for (;;) {
      const next = this.nextDue(targetMs);
      if (next === undefined) {
        break;
      }
      this.pending.delete(next[0]);
      this.nowMs = next[1].atMs;
      next[1].callback();
      await this.settle();
    }
    this.nowMs = targetMs;
    await this.settle();
  }

  private nextDue(limitMs: number): [number, Pending] | undefined {
    let best: [number, Pending] | undefined;
    for (const entry of this.pending) {
      const p = entry[1];
      if (p.atMs > limitMs) {
        continue;
      }
      if (
        best === undefined ||
        p.atMs < best[1].atMs ||
        (p.atMs === best[1].atMs && p.seq < best[1].seq)
      ) {
        best = entry;
      }
    }
    return best;
  }
}
