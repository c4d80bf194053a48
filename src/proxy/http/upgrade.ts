// Upgrade requests (WebSocket and any other `Connection: Upgrade`): the request head is written
// to a backend over a fresh TCP connection, retried on another backend while connecting fails,
// and then both directions are spliced as raw bytes.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PassiveHealth } from '../backends/health.js';
import type { Backend } from '../backends/types.js';
import { podNameOf } from '../backends/types.js';
import type { ProxyLimits } from '../config.js';
import type { TrafficStats } from '../stats/proxy-stats.js';
import type { ForwardTarget } from './forwarder.js';
import type { RequestHead } from './request-parser.js';

export interface UpgradeDeps {
  health: PassiveHealth;
  stats: TrafficStats;
  limits: ProxyLimits;
}

/** A raw HTTP/1.1 error answer on a socket that was never handed to a backend. */
export function rejectSocket(socket: Duplex, status: number, reason: string, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function requestHead(request: RequestHead, headers: string[]): string {
  let head = `${request.method} ${request.url} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) {
    head += `${headers[i] ?? ''}: ${headers[i + 1] ?? ''}\r\n`;
  }
  return `${head}\r\n`;
}

/** One upgrade request as the server received it, and where it may go. */
export interface Upgrade {
  request: RequestHead;
  socket: Duplex;
  head: Buffer;
  /** Request headers for the backend (Connection and Upgrade kept). */
  headers: string[];
  target: ForwardTarget;
}

export class UpgradeForwarder {
  constructor(private readonly deps: UpgradeDeps) {}

  /** Connects the client socket to a backend of the target, or answers 502/503 on it. */
  forward(u: Upgrade): void {
    const { stats } = this.deps;
    const { socket, target } = u;
    const startedMs = performance.now();
    const tried = new Set<string>();
    let isGone = false;
    socket.once('close', () => (isGone = true));
    socket.on('error', () => socket.destroy());
    stats.begin(target.scope);
    const service = `${target.scope.namespace}/${target.scope.service}`;
    const next = (lastCode?: string): void => {
      const backend =
        tried.size < this.deps.limits.tries && !isGone
          ? target.picker.pick(target.backends(), { nowMs: Date.now(), tried })
          : undefined;
      if (!backend) {
        const [status, reason, text] = lastCode
          ? [502, 'Bad Gateway', `upstream failed (${lastCode}) for service ${service}`]
          : [503, 'Service Unavailable', `no ready endpoints for service ${service}`];
        stats.end(target.scope, status, (performance.now() - startedMs) / 1000);
        rejectSocket(socket, status, reason, text);
        return;
      }
      tried.add(backend.key);
      this.connect(backend, target, (conn, code) => {
        if (!conn) {
          next(code);
          return;
        }
        conn.write(requestHead(u.request, u.headers));
        if (u.head.length > 0) {
          conn.write(u.head);
        }
        this.splice(u, conn, backend, startedMs);
      });
    };
    next();
  }

  private connect(
    backend: Backend,
    target: ForwardTarget,
    done: (conn: Socket | undefined, code?: string) => void,
  ): void {
    const { stats, health, limits } = this.deps;
    const pod = podNameOf(backend);
    stats.beginAttempt(target.scope, pod);
    const conn = connect({ host: backend.address, port: backend.port, noDelay: true });
    conn.setTimeout(limits.connectTimeoutMs, () =>
      conn.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
    );
    const onError = (err: NodeJS.ErrnoException): void => {
      health.fail(backend.key, Date.now());
      stats.failAttempt(target.scope, pod, true);
      done(undefined, err.code ?? err.message);
    };
    conn.once('error', onError);
    conn.once('connect', () => {
      conn.off('error', onError);
      conn.setTimeout(0);
      health.reset(backend.key);
      done(conn);
    });
  }

  private splice(u: Upgrade, conn: Socket, backend: Backend, startedMs: number): void {
    const { stats } = this.deps;
    const { socket, target } = u;
    let isCounted = false;
    const count = (status: number): void => {
      if (!isCounted) {
        isCounted = true;
        const seconds = (performance.now() - startedMs) / 1000;
        stats.end(target.scope, status, seconds, podNameOf(backend));
      }
    };
    conn.once('data', (chunk: Buffer) => {
      // The status line of the backend's answer (101 for an accepted upgrade).
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.subarray(0, 16).toString('latin1'));
      count(m ? Number(m[1]) : 502);
    });
    const close = (): void => {
      count(502);
      socket.destroy();
      conn.destroy();
    };
    conn.on('error', close);
    socket.on('error', close);
    conn.once('close', close);
    socket.once('close', close);
    socket.pipe(conn);
    conn.pipe(socket);
  }
}
