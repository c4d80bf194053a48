// Passive health: a backend whose connection failed is ejected for a while (doubling per
// consecutive failure, capped), and readmitted at once by a success or a fresh readiness.

interface State {
  failures: number;
  ejectedUntilMs: number;
}

export class PassiveHealth {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  isEjected(key: string, nowMs: number): boolean {
    const s = this.states.get(key);
    return s !== undefined && s.ejectedUntilMs > nowMs;
  }

  /** When the ejection ends (0 when not ejected). */
  ejectedUntil(key: string): number {
    return this.states.get(key)?.ejectedUntilMs ?? 0;
  }

  /** Records a failed attempt and ejects the backend. */
  fail(key: string, nowMs: number): void {
    const s = this.states.get(key) ?? { failures: 0, ejectedUntilMs: 0 };
    s.failures++;
    s.ejectedUntilMs = nowMs + Math.min(this.baseMs * 2 ** (s.failures - 1), this.maxMs);
    this.states.set(key, s);
  }

  /** A success or a new Ready condition: forget past failures. */
  reset(key: string): void {
    this.states.delete(key);
  }

  /** Forgets backends whose ejection ended longer than the longest ejection ago. */
  sweep(nowMs: number): void {
    for (const [key, s] of this.states) {
      if (nowMs - s.ejectedUntilMs > this.maxMs) {
        this.states.delete(key);
      }
    }
  }

  /** Keys currently tracked (ejected now or recently failed). */
  get size(): number {
    return this.states.size;
  }
}
