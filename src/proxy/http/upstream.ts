// Keep-alive HTTP/1.1 connections to backends without node:http's client: idle sockets kept per
// backend (address:port, newest first), each request written as one head string (its body
// framed as the client sent it, or chunked), each response parsed by llhttp and streamed into
// the client's response with backpressure. node:http's Agent, ClientRequest and IncomingMessage
// cost more CPU per proxied request than everything else together (bench/proxy/README.md).
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { ProxyLimits } from '../config.js';
import { firstHeader } from './headers.js';
import { EMPTY_BODY } from './replayable-body.js';
import type { BodySink, RequestBody } from './replayable-body.js';
import { ResponseParser } from './response-parser.js';

/** An attempt's own failure (a timeout, a hang-up), told apart from socket errors by code. */
export class AttemptError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamTarget {
  /** `address:port`. */
  key: string;
  address: string;
  port: number;
}

/** Where the response body goes (the client's response) and how it pushes back. */
export interface ResponseSink {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  /** [name, value, ...] as they go to the backend (parsed by node's server: no CR or LF). */
  headers: string[];
  body: RequestBody;
  sink: ResponseSink;
}

/** What an exchange reports: response() then end(), or error() (after response() or not). */
export interface ExchangeHandlers {
  response(status: number, statusMessage: string, rawHeaders: string[]): void;
  end(): void;
  /** isConnected false: connecting failed; hasResponse: the client's answer was under way. */
  error(
    err: AttemptError | NodeJS.ErrnoException,
    isConnected: boolean,
    hasResponse: boolean,
  ): void;
}

/** One request on one connection. */
export interface UpstreamExchange {
  /** The client went away: the connection is closed, error() reports ECONNABORTED. */
  abort(): void;
}

/** Idle connections kept per backend at most (node's Agent maxFreeSockets, as before). */
const MAX_IDLE_PER_BACKEND = 256;
/** Margin before a backend's announced Keep-Alive timeout (node's Agent uses the same). */
const KEEP_ALIVE_MARGIN_MS = 1000;
const CHUNK_END = Buffer.from('\r\n');

type Limits = Pick<ProxyLimits, 'connectTimeoutMs' | 'readTimeoutMs' | 'upstreamIdleMs'>;

/** The shortest idle timeout a response allows (its Keep-Alive hint), else upstreamIdleMs. */
export function idleLimitMs(rawHeaders: readonly string[], upstreamIdleMs: number): number {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 10 && name.toLowerCase() === 'keep-alive') {
      const m = /(?:^|,)\s*timeout=(\d+)/i.exec(rawHeaders[i + 1] ?? '');
      if (m) {
        return Math.min(upstreamIdleMs, Number(m[1]) * 1000 - KEEP_ALIVE_MARGIN_MS);
      }
    }
  }
  return upstreamIdleMs;
}

class Exchange implements UpstreamExchange, BodySink {
  hasResponse = false;
  isInformational = false;
  isBodySent = false;
  isResponseDone = false;
  isKeepAlive = false;
  isFinished = false;
  isPaused = false;

  constructor(
    readonly conn: Connection,
    readonly request: UpstreamRequest,
    readonly handlers: ExchangeHandlers,
    readonly isChunked: boolean,
  ) {}

  abort(): void {
    this.conn.fail(this, new AttemptError('ECONNABORTED', 'client went away'));
  }

  // BodySink: the request body, framed; writes once the connection moved on are dropped.
  write(chunk: Buffer): boolean {
    const socket = this.conn.socket;
    if (this.conn.current !== this || chunk.length === 0) {
      return true;
    }
    if (!this.isChunked) {
      return socket.write(chunk);
    }
    socket.cork();
    socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
    socket.write(chunk);
    const isFlowing = socket.write(CHUNK_END);
    socket.uncork();
    return isFlowing;
  }

  end(): void {
    if (this.isBodySent || this.conn.current !== this) {
      return;
    }
    this.isBodySent = true;
    if (this.isChunked) {
      this.conn.socket.write('0\r\n\r\n', 'latin1');
    }
    this.conn.settle(this);
  }

  once(event: 'drain', listener: () => void): unknown {
    return this.conn.socket.once(event, listener);
  }

  off(event: 'drain', listener: () => void): unknown {
    return this.conn.socket.off(event, listener);
  }
}

class Connection {
  readonly socket: Socket;
  isConnected = false;
  idleSinceMs = 0;
  idleMs: number;
  /** The exchange using the connection (none: idle, or closing). */
  current: Exchange | undefined;
  private readonly parser: ResponseParser;

  constructor(
    readonly target: UpstreamTarget,
    private readonly pool: UpstreamPool,
    private readonly limits: Limits,
  ) {
    this.idleMs = limits.upstreamIdleMs;
    this.socket = connect({ host: target.address, port: target.port, noDelay: true });
    // The connect timeout first; once connected, the read timeout for the socket's whole life.
    this.socket.setTimeout(limits.connectTimeoutMs);
    this.parser = new ResponseParser({
      head: (status, message, raw, isKeepAlive) => this.head(status, message, raw, isKeepAlive),
      body: (chunk) => this.body(chunk),
      complete: () => this.complete(),
    });
    this.socket.once('connect', () => {
      this.isConnected = true;
      this.socket.setTimeout(limits.readTimeoutMs);
    });
    this.socket.on('data', (data: Buffer) => this.data(data));
    this.socket.on('timeout', () => this.timedOut());
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (err) => this.fail(this.current, err));
    this.socket.on('close', () => {
      this.fail(this.current, new AttemptError('ECONNRESET', 'socket hang up'));
      this.parser.close();
      this.pool.forget(this);
    });
  }

  start(ex: Exchange): void {
    this.current = ex;
    const { method, path, headers } = ex.request;
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) {
      head += `${headers[i] ?? ''}: ${headers[i + 1] ?? ''}\r\n`;
    }
    head += ex.isChunked ? 'Transfer-Encoding: chunked\r\n\r\n' : '\r\n';
    this.socket.write(head, 'latin1');
    ex.request.body.attach(ex);
  }

  /**
   * Fails ex and closes the connection, when ex is the current exchange (undefined: whatever is
   * current, if anything: a socket-level failure). A finished exchange leaves it alone.
   */
  fail(ex: Exchange | undefined, err: Error): void {
    if (ex !== this.current) {
      return;
    }
    this.current = undefined;
    if (ex && !ex.isFinished) {
      ex.isFinished = true;
      ex.handlers.error(err, this.isConnected, ex.hasResponse);
    }
    this.socket.destroy();
  }

  /** Once the response is complete and the body sent, the connection is free again. */
  settle(ex: Exchange): void {
    if (ex !== this.current || !ex.isResponseDone) {
      return;
    }
    if (!ex.isBodySent) {
      // Answered before the whole body arrived (a 413, say): the rest is not sent, and the
      // connection, midway through a request, cannot be used again.
      this.current = undefined;
      ex.request.body.detach();
      this.socket.destroy();
      return;
    }
    this.current = undefined;
    if (ex.isPaused) {
      this.socket.resume();
    }
    if (ex.isKeepAlive && this.idleMs > 0 && !this.socket.destroyed) {
      this.idleSinceMs = performance.now();
      this.pool.release(this);
    } else {
      this.socket.destroy();
    }
  }

  private head(status: number, message: string, raw: string[], isKeepAlive: boolean): boolean {
    const ex = this.current;
    if (!ex || ex.isFinished) {
      // A response nobody asked for (bytes after the last one): the connection is unusable.
      this.socket.destroy();
      return true;
    }
    // 1xx (100 Continue, 103 Early Hints) are not passed on; the final response follows.
    ex.isInformational = status < 200;
    if (ex.isInformational) {
      return true;
    }
    ex.hasResponse = true;
    ex.isKeepAlive = isKeepAlive;
    this.idleMs = idleLimitMs(raw, this.limits.upstreamIdleMs);
    try {
      ex.handlers.response(status, message, raw);
    } catch (err) {
      // The client's response refused the head (node validates it): a bad answer, not a crash.
      ex.hasResponse = false;
      this.fail(ex, err as Error);
      return true;
    }
    return ex.request.method === 'HEAD' || status === 204 || status === 304;
  }

  private body(chunk: Buffer): void {
    const ex = this.current;
    if (!ex || ex.isFinished || ex.isPaused || ex.request.sink.write(chunk)) {
      return;
    }
    ex.isPaused = true;
    this.socket.pause();
    ex.request.sink.once('drain', () => {
      if (ex.isPaused) {
        ex.isPaused = false;
        this.socket.resume();
      }
    });
  }

  private complete(): void {
    const ex = this.current;
    if (!ex || ex.isFinished || ex.isInformational) {
      return;
    }
    ex.isResponseDone = true;
    ex.isFinished = true;
    ex.handlers.end();
    this.settle(ex);
  }

  private data(data: Buffer): void {
    if (!this.current) {
      // Bytes nobody asked for: the connection cannot be trusted any more.
      this.socket.destroy();
      return;
    }
    const err = this.parser.execute(data);
    if (err) {
      this.fail(this.current, err);
    }
  }

  private timedOut(): void {
    const what = this.isConnected ? 'read timed out' : 'connect timed out';
    this.fail(this.current, new AttemptError('ETIMEDOUT', what));
  }

  private ended(): void {
    const ex = this.current;
    // A body delimited by the close completes here; anything else was cut short.
    const err = ex?.hasResponse ? this.parser.finish() : undefined;
    this.fail(this.current, err ?? new AttemptError('ECONNRESET', 'socket hang up'));
    this.socket.destroy();
  }
}

export class UpstreamPool {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();

  constructor(private readonly limits: Limits) {}

  /** Sends request to target on an idle connection (or a new one); handlers hear how it went. */
  exchange(
    target: UpstreamTarget,
    request: UpstreamRequest,
    handlers: ExchangeHandlers,
  ): UpstreamExchange {
    const conn = this.acquire(target);
    const isChunked =
      request.body !== EMPTY_BODY && firstHeader(request.headers, 'content-length') === undefined;
    const ex = new Exchange(conn, request, handlers, isChunked);
    conn.start(ex);
    return ex;
  }

  /** Closes idle connections past their idle time; drops empty lists. */
  sweep(): void {
    const now = performance.now();
    for (const [key, list] of this.idle) {
      for (const conn of list.filter((c) => now - c.idleSinceMs >= c.idleMs)) {
        conn.socket.destroy();
      }
      if (list.length === 0) {
        this.idle.delete(key);
      }
    }
  }

  /** Closes every connection (shutdown). */
  destroy(): void {
    for (const conn of [...this.all]) {
      conn.socket.destroy();
    }
    this.idle.clear();
  }

  /** Connections open now, idle or busy. */
  get size(): number {
    return this.all.size;
  }

  release(conn: Connection): void {
    let list = this.idle.get(conn.target.key);
    if (!list) {
      list = [];
      this.idle.set(conn.target.key, list);
    }
    if (list.length >= MAX_IDLE_PER_BACKEND) {
      conn.socket.destroy();
      return;
    }
    list.push(conn);
  }

  forget(conn: Connection): void {
    this.all.delete(conn);
    const list = this.idle.get(conn.target.key);
    const i = list ? list.indexOf(conn) : -1;
    if (list && i >= 0) {
      list.splice(i, 1);
    }
  }

  private acquire(target: UpstreamTarget): Connection {
    const list = this.idle.get(target.key);
    const now = performance.now();
    // Newest first: the one least likely to be closed by the backend meanwhile.
    for (let conn = list?.pop(); conn; conn = list?.pop()) {
      if (now - conn.idleSinceMs < conn.idleMs && !conn.socket.destroyed) {
        return conn;
      }
      conn.socket.destroy();
    }
    const conn = new Connection(target, this, this.limits);
    this.all.add(conn);
    return conn;
  }
}
