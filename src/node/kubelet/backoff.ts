// The kubelet's per-container restart backoff (client-go's flowcontrol.Backoff as the kubelet uses
// it): the first restart is immediate, then 10 s doubling to 5 min; an entry not updated for
// twice the maximum (10 min) starts over.
import type { Clock } from '../../lib/clock.js';
import { goDuration } from '../prober/port.js';

/** Kubernetes' defaults: initial 10 s, maximum 300 s. */
export const DEFAULT_INITIAL_BACKOFF_MS = 10_000;
export const DEFAULT_MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

/** Backoff per key (pod uid + container name). */
export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = DEFAULT_INITIAL_BACKOFF_MS,
    readonly maxMs = DEFAULT_MAX_BACKOFF_MS,
  ) {}

  /** Still backing off from a failure that happened at `eventTime`? (IsInBackOffSince) */
  isInBackOffSince(key: string, eventTime: Date): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(eventTime.getTime(), entry)) {
      return false;
    }
    return this.clock.now().getTime() - eventTime.getTime() < entry.backoffMs;
  }

  /** Milliseconds until the backoff from `eventTime` ends (0 when not backing off). */
  remainingMs(key: string, eventTime: Date): number {
    const entry = this.entries.get(key);
    if (!entry || !this.isInBackOffSince(key, eventTime)) {
      return 0;
    }
    return Math.max(0, eventTime.getTime() + entry.backoffMs - this.clock.now().getTime());
  }

  /** The current backoff of a key (what the CrashLoopBackOff message names). */
  currentMs(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a restart after a failure at `eventTime`: doubles the backoff (Next). */
  next(key: string, eventTime: Date): void {
    const at = eventTime.getTime();
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(at, entry)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: at });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = at;
  }

  /** Forgets every key with this prefix (a pod that is gone). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
      }
    }
  }

  private hasExpired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }
}

/** Go's time.Duration String() of a backoff: 10s, 1m20s, 5m0s. */
export function backoffText(ms: number): string {
  return goDuration(Math.round(ms / 1000));
}
