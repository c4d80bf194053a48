// The demo's HTTP clients through the Ingress: a steady trickle of requests (the tutorials'
// `while true; do curl ...; sleep 1; done`) and a load generator with N concurrent requests
// (`ab -c N`). Both record every outcome in the shared RequestTally.
import { Agent, request } from 'node:http';
import { outcomeOf } from './tally.js';
import type { Outcome, RequestTally } from './tally.js';

const REQUEST_TIMEOUT_MS = 20_000;

/** One GET; resolves with status and body, rejects on a network error or after timeoutMs. */
export function httpGet(
  url: string,
  agent: Agent | false,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sends one GET, records its outcome and returns it; never rejects. */
export async function probe(
  url: string,
  agent: Agent | false,
  tally: RequestTally,
): Promise<Outcome> {
  let outcome: Outcome;
  try {
    const { status, body } = await httpGet(url, agent);
    outcome = outcomeOf(Date.now(), status, body);
  } catch (e) {
    outcome = { atMs: Date.now(), error: e instanceof Error ? e.message : String(e) };
  }
  tally.record(outcome);
  return outcome;
}

/** A request every intervalMs, each on a new connection as curl makes them, until stop(). */
export class Trickle {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly tally: RequestTally,
  ) {}

  /** Starts sending, or changes the pace of a running trickle. */
  start(intervalMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      const p = probe(this.url, false, this.tally).then(() => undefined);
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }, intervalMs);
  }

  /** Stops sending; resolves once every request sent has its outcome. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }
}

/** `concurrency` requests in flight at all times over keep-alive connections, until stop(). */
export class LoadGenerator {
  private isRunning = false;
  private workers: Promise<void>[] = [];
  private readonly agent: Agent;

  constructor(
    private readonly url: string,
    private readonly tally: RequestTally,
    private readonly concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  start(): void {
    if (this.isRunning) {
      return;
    }
    this.isRunning = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.worker());
  }

  /** Stops after the requests in flight; resolves once they all have outcomes. */
  async stop(): Promise<void> {
    this.isRunning = false;
    await Promise.all(this.workers);
    this.agent.destroy();
  }

  private async worker(): Promise<void> {
    while (this.isRunning) {
      await probe(this.url, this.agent, this.tally);
    }
  }
}
