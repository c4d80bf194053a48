// Choosing a backend for one attempt: round-robin over the eligible backends not yet tried by
// this request, skipping ejected ones, with optional ClientIP session affinity (kube-proxy's
// sessionAffinity: ClientIP, default timeout 10800 s).
import type { PassiveHealth } from './health.js';
import type { Backend } from './types.js';

export interface PickOptions {
  nowMs: number;
  /** Backends this request already tried (and failed on). */
  tried?: ReadonlySet<string>;
  /** Set for ClientIP affinity. */
  clientIp?: string;
}

export const DEFAULT_AFFINITY_TIMEOUT_MS = 10_800_000;

/** Affinity entries are swept when the table grows past this. */
const AFFINITY_SWEEP_AT = 10_000;

export class BackendPicker {
  private next = 0;
  private readonly affinity = new Map<string, { key: string; atMs: number }>();

  constructor(
    private readonly health: PassiveHealth,
    /** Set for sessionAffinity ClientIP. */
    private readonly affinityTimeoutMs?: number,
  ) {}

  /** The backend for the next attempt, or undefined when every backend was tried. */
  pick(backends: readonly Backend[], opts: PickOptions): Backend | undefined {
    const tried = opts.tried;
    const candidates = tried?.size ? backends.filter((b) => !tried.has(b.key)) : backends;
    if (candidates.length === 0) {
      return undefined;
    }
    const sticky = this.sticky(candidates, opts);
    if (sticky) {
      return sticky;
    }
    const n = candidates.length;
    for (let i = 0; i < n; i++) {
      const b = candidates[(this.next + i) % n];
      if (b && !this.health.isEjected(b.key, opts.nowMs)) {
        this.next = (this.next + i + 1) % n;
        return this.remember(b, opts);
      }
    }
    // Everyone is ejected: try the one that comes back first rather than fail (nginx does too).
    let best = candidates[0];
    for (const b of candidates) {
      if (best && this.health.ejectedUntil(b.key) < this.health.ejectedUntil(best.key)) {
        best = b;
      }
    }
    return best && this.remember(best, opts);
  }

  private sticky(candidates: readonly Backend[], opts: PickOptions): Backend | undefined {
    if (this.affinityTimeoutMs === undefined || opts.clientIp === undefined) {
      return undefined;
    }
    const entry = this.affinity.get(opts.clientIp);
    if (!entry || opts.nowMs - entry.atMs > this.affinityTimeoutMs) {
      return undefined;
    }
    const b = candidates.find((c) => c.key === entry.key);
    if (!b || this.health.isEjected(b.key, opts.nowMs)) {
      return undefined;
    }
    entry.atMs = opts.nowMs;
    return b;
  }

  private remember(b: Backend, opts: PickOptions): Backend {
    if (this.affinityTimeoutMs !== undefined && opts.clientIp !== undefined) {
      if (this.affinity.size >= AFFINITY_SWEEP_AT) {
        this.sweep(opts.nowMs);
      }
      this.affinity.set(opts.clientIp, { key: b.key, atMs: opts.nowMs });
    }
    return b;
  }

  private sweep(nowMs: number): void {
    for (const [ip, entry] of this.affinity) {
      if (nowMs - entry.atMs > (this.affinityTimeoutMs ?? 0)) {
        this.affinity.delete(ip);
      }
    }
  }
}
