// Forwards one HTTP request to a Service's backends: keep-alive connections per backend
// (UpstreamPool), streaming both ways, and ingress-nginx's `proxy_next_upstream error timeout`
// with tries 3: an attempt that fails before any response byte is retried on another backend
// (non-idempotent requests only when the failure was connecting), and the failed backend is
// passively ejected.
import type { BackendPicker } from '../backends/picker.js';
import type { PassiveHealth } from '../backends/health.js';
import type { Backend } from '../backends/types.js';
import { podNameOf } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import type { TrafficScope, TrafficStats } from '../stats/proxy-stats.js';
import type { ClientExchange } from './client-exchange.js';
import { endToEnd } from './headers.js';
import { EMPTY_BODY, ReplayableBody } from './replayable-body.js';
import type { RequestBody } from './replayable-body.js';
import { sendText } from './respond.js';
import { AttemptError } from './upstream.js';
import type { UpstreamExchange, UpstreamPool } from './upstream.js';

/** RFC 9110 9.2.2: requests that may be repeated without changing the outcome. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export interface ForwarderDeps {
  health: PassiveHealth;
  stats: TrafficStats;
  upstreams: UpstreamPool;
  limits: ProxyLimits;
  nowMs?: () => number;
}

/** What to forward to: the request's Service scope and its current backends. */
export interface ForwardTarget {
  scope: TrafficScope;
  picker: BackendPicker;
  backends: () => readonly Backend[];
  clientIp?: string;
}

type AttemptOutcome =
  | { kind: 'response' }
  | { kind: 'error'; code: string; isConnectFailure: boolean; isTimeout: boolean };

const RESPONDED: AttemptOutcome = { kind: 'response' };

/** The client went away: nothing more to send. */
type Outcome = AttemptOutcome | { kind: 'abandoned' };

interface Exchange {
  client: ClientExchange;
  headers: string[];
  body: RequestBody;
  target: ForwardTarget;
  startedMs: number;
  /** Set when the client went away; stops retries. */
  isClientGone: boolean;
  current?: UpstreamExchange;
  answeredBy?: string;
  isDone: boolean;
}

export class HttpForwarder {
  private readonly nowMs: () => number;

  constructor(private readonly deps: ForwarderDeps) {
    this.nowMs = deps.nowMs ?? (() => performance.now());
  }

  /** Forwards the client's request with the given upstream headers; answers it in every case. */
  async forward(client: ClientExchange, headers: string[], target: ForwardTarget): Promise<void> {
    const ex: Exchange = {
      client,
      headers,
      // Skipping the body machinery for body-less requests is a measurable saving per request.
      body: client.hasBody
        ? new ReplayableBody(client.body, this.deps.limits.bodyBufferBytes)
        : EMPTY_BODY,
      target,
      startedMs: this.nowMs(),
      isClientGone: false,
      isDone: false,
    };
    this.deps.stats.begin(target.scope);
    client.onClose((isComplete) => {
      if (!isComplete) {
        ex.isClientGone = true;
        // Before or during the backend's answer: its connection is closed, not reused.
        ex.current?.abort();
      }
      // 499: nginx's "client closed request", when nothing was answered yet.
      this.complete(ex, client.headersSent ? client.statusCode : 499);
    });
    const tried = new Set<string>();
    const last = await this.tryBackends(ex, tried);
    if (last?.kind === 'response' || last?.kind === 'abandoned') {
      return;
    }
    const service = `${target.scope.namespace}/${target.scope.service}`;
    if (!last) {
      sendText(client, 503, `no ready endpoints for service ${service}`);
      return;
    }
    const [code, what] = last.isTimeout ? [504, 'timed out'] : [502, 'failed'];
    sendText(
      client,
      code,
      `upstream ${what} (${last.code}) after ${tried.size} attempt(s) for service ${service}`,
    );
  }

  /** Attempts until one answers or retrying cannot help; the last outcome (none: no backend). */
  private async tryBackends(ex: Exchange, tried: Set<string>): Promise<Outcome | undefined> {
    const { stats, limits } = this.deps;
    const { target } = ex;
    let last: Outcome | undefined;
    for (let attempt = 0; attempt < limits.tries; attempt++) {
      const backend = target.picker.pick(
        target.backends(),
        target.clientIp !== undefined
          ? { nowMs: Date.now(), tried, clientIp: target.clientIp }
          : { nowMs: Date.now(), tried },
      );
      if (!backend) {
        return last;
      }
      tried.add(backend.key);
      const outcome = await this.attempt(ex, backend);
      last = outcome;
      if (outcome.kind === 'response') {
        return outcome;
      }
      if (ex.isClientGone) {
        stats.abandonAttempt(target.scope, podNameOf(backend));
        return { kind: 'abandoned' };
      }
      const canRetry =
        ex.body.isReplayable &&
        attempt + 1 < limits.tries &&
        (outcome.isConnectFailure || IDEMPOTENT.has(ex.client.method));
      stats.failAttempt(target.scope, podNameOf(backend), canRetry);
      if (!canRetry) {
        return last;
      }
    }
    return last;
  }

  private complete(ex: Exchange, status: number): void {
    if (ex.isDone) {
      return;
    }
    ex.isDone = true;
    const seconds = (this.nowMs() - ex.startedMs) / 1000;
    this.deps.stats.end(ex.target.scope, status, seconds, ex.answeredBy);
  }

  private attempt(ex: Exchange, backend: Backend): Promise<AttemptOutcome> {
    const { health, stats, upstreams } = this.deps;
    const pod = podNameOf(backend);
    stats.beginAttempt(ex.target.scope, pod);
    const { client } = ex;
    return new Promise<AttemptOutcome>((resolve) => {
      const request = {
        method: client.method,
        path: client.url,
        headers: ex.headers,
        body: ex.body,
        sink: client,
      };
      ex.current = upstreams.exchange(backend, request, {
        response: (status, message, rawHeaders) => {
          // The body may still be streaming: a backend may answer before it has read it all.
          client.writeHead(status, message, endToEnd(rawHeaders));
          health.reset(backend.key);
          ex.answeredBy = pod;
          resolve(RESPONDED);
        },
        end: () => client.end(),
        error: (err, isConnected, hasResponse) => {
          if (hasResponse) {
            // A backend that fails mid-body cannot be retried: the client sees a cut response.
            client.destroy();
            return;
          }
          ex.body.detach();
          if (!ex.isClientGone) {
            health.fail(backend.key, Date.now());
          }
          resolve({
            kind: 'error',
            code: err.code ?? err.message,
            isConnectFailure: !isConnected,
            isTimeout: err instanceof AttemptError && err.code === 'ETIMEDOUT',
          });
        },
      });
    });
  }
}
