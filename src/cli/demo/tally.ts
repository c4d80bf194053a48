// Counts every request the demo sends through the Ingress: which pod answered, when, and which
// failed (any error, timeout, non-200 status or unexpected body counts as failed).

/** One request's result; `pod` is set when it succeeded. */
export interface Outcome {
  atMs: number;
  pod?: string;
  error?: string;
}

export interface WindowSummary {
  ok: number;
  failed: number;
  /** Answers per pod, in order of first answer. */
  pods: Map<string, number>;
}

const ANSWER = /^Hello, Kubernetes! from Pod: (\S+)/;

/** The pod named in an answer of examples/hello-flask, or undefined for anything else. */
export function podOfAnswer(body: string): string | undefined {
  return ANSWER.exec(body.trim())?.[1];
}

/** The outcome of one HTTP exchange: failed unless 200 with the app's answer. */
export function outcomeOf(atMs: number, status: number, body: string): Outcome {
  const pod = status === 200 ? podOfAnswer(body) : undefined;
  if (pod !== undefined) {
    return { atMs, pod };
  }
  const text = body.trim().split('\n')[0]?.slice(0, 80) ?? '';
  return { atMs, error: `HTTP ${status}${text === '' ? '' : `: ${text}`}` };
}

export class RequestTally {
  private readonly outcomes: Outcome[] = [];
  private failures = 0;

  record(outcome: Outcome): void {
    this.outcomes.push(outcome);
    if (outcome.pod === undefined) {
      this.failures++;
    }
  }

  get sent(): number {
    return this.outcomes.length;
  }

  get failed(): number {
    return this.failures;
  }

  /** Requests finished in [fromMs, toMs). */
  window(fromMs: number, toMs: number): WindowSummary {
    const summary: WindowSummary = { ok: 0, failed: 0, pods: new Map() };
    for (const o of this.outcomes) {
      if (o.atMs < fromMs || o.atMs >= toMs) {
        continue;
      }
      if (o.pod === undefined) {
        summary.failed++;
      } else {
        summary.ok++;
        summary.pods.set(o.pod, (summary.pods.get(o.pod) ?? 0) + 1);
      }
    }
    return summary;
  }

  /** Answers `pod` gave at or after sinceMs. */
  answersFrom(pod: string, sinceMs: number): number {
    return this.outcomes.filter((o) => o.pod === pod && o.atMs >= sinceMs).length;
  }

  /** The first `n` distinct failure messages with their counts. */
  errors(n: number): string[] {
    const counts = new Map<string, number>();
    for (const o of this.outcomes) {
      if (o.error !== undefined) {
        counts.set(o.error, (counts.get(o.error) ?? 0) + 1);
      }
    }
    return [...counts].slice(0, n).map(([error, count]) => `${count} x ${error}`);
  }
}

/** The part of a pod name after its last dash (a Deployment's pods differ only there). */
export function podSuffix(pod: string): string {
  const dash = pod.lastIndexOf('-');
  return dash < 0 ? pod : pod.slice(dash + 1);
}

/** One line about a window of requests: `5 ok, 0 failed   qsbzb x3  hbb7h x2`. */
export function formatWindow(summary: WindowSummary): string {
  const pods = [...summary.pods].map(([pod, n]) => `${podSuffix(pod)} x${n}`).join('  ');
  const counts = `${summary.ok} ok, ${summary.failed} failed`;
  return pods === '' ? counts : `${counts.padEnd(16)} ${pods}`;
}
