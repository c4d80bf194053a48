// Forwards one HTTP request to a Service's backends: keep-alive agents per backend, streaming
// both ways, and ingress-nginx's `proxy_next_upstream error timeout` with tries 3: an attempt
// that fails before any response byte is retried on another backend (non-idempotent requests
// only when the failure was connecting), and the failed backend is passively ejected.
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { BackendPicker } from '../backends/picker.js';
import type { PassiveHealth } from '../backends/health.js';
import type { Backend } from '../backends/types.js';
import { podNameOf } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import type { TrafficScope, TrafficStats } from '../stats/proxy-stats.js';
import type { AgentPool } from './agents.js';
import { endToEnd } from './headers.js';
import { EMPTY_BODY, hasBody, ReplayableBody } from './replayable-body.js';
import type { RequestBody } from './replayable-body.js';
import { sendText } from './respond.js';

/** RFC 9110 9.2.2: requests that may be repeated without changing the outcome. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export interface ForwarderDeps {
  health: PassiveHealth;
  stats: TrafficStats;
  agents: AgentPool;
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

/** The client went away: nothing more to send. */
type Outcome = AttemptOutcome | { kind: 'abandoned' };

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  headers: string[];
  body: RequestBody;
  target: ForwardTarget;
  startedMs: number;
  /** Set when the client went away; stops retries. */
  isClientGone: boolean;
  current?: ClientRequest;
  answeredBy?: string;
  isDone: boolean;
}

class AttemptError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class HttpForwarder {
  private readonly nowMs: () => number;

  constructor(private readonly deps: ForwarderDeps) {
    this.nowMs = deps.nowMs ?? (() => performance.now());
  }

  /** Forwards req with the given upstream headers; answers res in every case. */
  async forward(
    req: IncomingMessage,
    res: ServerResponse,
    headers: string[],
    target: ForwardTarget,
  ): Promise<void> {
    const ex: Exchange = {
      req,
      res,
      headers,
      // Skipping the stream machinery for body-less requests is a measurable saving per request.
      body: hasBody(req.headers)
        ? new ReplayableBody(req, this.deps.limits.bodyBufferBytes)
        : EMPTY_BODY,
      target,
      startedMs: this.nowMs(),
      isClientGone: false,
      isDone: false,
    };
    this.deps.stats.begin(target.scope);
    res.once('close', () => {
      if (!res.writableFinished) {
        ex.isClientGone = true;
        ex.current?.destroy();
      }
      // 499: nginx's "client closed request", when nothing was answered yet.
      this.complete(ex, res.headersSent ? res.statusCode : 499);
    });
    const tried = new Set<string>();
    const last = await this.tryBackends(ex, tried);
    const service = `${target.scope.namespace}/${target.scope.service}`;
    if (!last) {
      sendText(res, 503, `no ready endpoints for service ${service}`);
    } else if (last.kind === 'error') {
      const [code, what] = last.isTimeout ? [504, 'timed out'] : [502, 'failed'];
      sendText(
        res,
        code,
        `upstream ${what} (${last.code}) after ${tried.size} attempt(s) for service ${service}`,
      );
    }
  }

  /** Attempts until one answers or retrying cannot help; the last outcome (none: no backend). */
  private async tryBackends(ex: Exchange, tried: Set<string>): Promise<Outcome | undefined> {
    const { stats, limits } = this.deps;
    const { target } = ex;
    let last: Outcome | undefined;
    for (let attempt = 0; attempt < limits.tries; attempt++) {
      const backend = target.picker.pick(target.backends(), {
        nowMs: Date.now(),
        tried,
        ...(target.clientIp !== undefined ? { clientIp: target.clientIp } : {}),
      });
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
        (outcome.isConnectFailure || IDEMPOTENT.has(ex.req.method ?? ''));
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
    const { limits, health, stats } = this.deps;
    stats.beginAttempt(ex.target.scope, podNameOf(backend));
    return new Promise<AttemptOutcome>((resolve) => {
      let isConnected = false;
      let isSettled = false;
      const upstream = request({
        host: backend.address,
        port: backend.port,
        method: ex.req.method,
        path: ex.req.url,
        headers: ex.headers,
        setHost: false,
        agent: this.deps.agents.get(backend.key),
      });
      ex.current = upstream;
      let connectTimer: NodeJS.Timeout | undefined;
      const connected = (): void => {
        isConnected = true;
        clearTimeout(connectTimer);
      };
      upstream.once('socket', (socket) => {
        if (!socket.connecting) {
          connected(); // a kept-alive connection
          return;
        }
        connectTimer = setTimeout(
          () => upstream.destroy(new AttemptError('ETIMEDOUT', 'connect timed out')),
          limits.connectTimeoutMs,
        );
        socket.once('connect', connected);
      });
      upstream.setTimeout(limits.readTimeoutMs, () =>
        upstream.destroy(new AttemptError('ETIMEDOUT', 'read timed out')),
      );
      upstream.once('response', (up) => {
        isSettled = true;
        clearTimeout(connectTimer);
        // The body keeps streaming: a backend may answer before it has read it all.
        health.reset(backend.key);
        ex.answeredBy = podNameOf(backend);
        this.relay(ex, up);
        resolve({ kind: 'response' });
      });
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(connectTimer);
        if (isSettled) {
          return; // the response pipeline reports it
        }
        isSettled = true;
        ex.body.detach();
        if (!ex.isClientGone) {
          health.fail(backend.key, Date.now());
        }
        const isTimeout = err instanceof AttemptError && err.code === 'ETIMEDOUT';
        resolve({
          kind: 'error',
          code: err.code ?? err.message,
          isConnectFailure: !isConnected,
          isTimeout,
        });
      });
      ex.body.attach(upstream);
    });
  }

  private relay(ex: Exchange, up: IncomingMessage): void {
    const { res } = ex;
    res.writeHead(up.statusCode ?? 502, up.statusMessage, endToEnd(up.rawHeaders));
    // pipe() rather than pipeline(): this runs per request, and pipeline's abort signals cost.
    up.pipe(res);
    up.once('close', () => {
      if (!up.complete) {
        // A backend that dies mid-body cannot be retried: the client sees a cut response.
        res.destroy();
      }
    });
    res.once('close', () => {
      if (!up.complete) {
        up.destroy();
      }
    });
  }
}
