// The ingress' HTTP/1.x server: client connections fed by its listeners (or handed over by
// kubeproc to an ingress worker), parsed with llhttp (./client-connection.ts), with node:http's
// timeouts: idle keep-alive connections close after keepAliveMs, a head must arrive within
// headersTimeoutMs (408 otherwise). Timeouts are checked by one sweep, not a timer per request.
import type { Socket } from 'node:net';
import { ClientConnection } from './client-connection.js';
import type { ConnectionOwner } from './client-connection.js';
import type { ClientExchange } from './client-exchange.js';
import type { RequestHead } from './request-parser.js';

export interface Http1ServerOptions {
  keepAliveMs: number;
  headersTimeoutMs: number;
  request(ex: ClientExchange): void;
  /** Takes over the socket of an upgrade request; rest: the bytes read after its head. */
  upgrade?(head: RequestHead, socket: Socket, rest: Buffer): void;
}

const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

export class Http1Server implements ConnectionOwner {
  private readonly connections = new Set<ClientConnection>();
  private sweeper: NodeJS.Timeout | undefined;
  clockMs = performance.now();
  isAccepting = true;
  readonly keepAliveSeconds: number;

  constructor(private readonly options: Http1ServerOptions) {
    this.keepAliveSeconds = Math.max(1, Math.floor(options.keepAliveMs / 1000));
  }

  /** Serves socket (plain TCP or decrypted TLS) until either side closes it. */
  connection(socket: Socket): void {
    if (!this.isAccepting) {
      socket.destroy();
      return;
    }
    this.clockMs = performance.now();
    this.connections.add(new ClientConnection(socket, this));
    this.sweeper ??= this.startSweeping();
  }

  /** Connections open now (idle ones included). */
  get size(): number {
    return this.connections.size;
  }

  /** Closes every connection, busy or idle, and takes no new ones. */
  closeAll(): void {
    this.isAccepting = false;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const conn of [...this.connections]) {
      conn.destroy();
    }
  }

  request(ex: ClientExchange): void {
    this.options.request(ex);
  }

  upgrade(head: RequestHead, socket: Socket, rest: Buffer): boolean {
    if (!this.options.upgrade) {
      return false;
    }
    this.options.upgrade(head, socket, rest);
    return true;
  }

  forget(conn: ClientConnection): void {
    this.connections.delete(conn);
    if (this.connections.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private startSweeping(): NodeJS.Timeout {
    const { keepAliveMs, headersTimeoutMs } = this.options;
    const everyMs = Math.max(10, Math.min(1000, keepAliveMs / 4, headersTimeoutMs / 4));
    const timer = setInterval(() => this.sweep(), everyMs);
    timer.unref();
    return timer;
  }

  private sweep(): void {
    const now = performance.now();
    this.clockMs = now;
    const { keepAliveMs, headersTimeoutMs } = this.options;
    for (const conn of this.connections) {
      const quietMs = now - conn.lastActiveMs;
      if (conn.isReadingHead && conn.isIdle) {
        // A head that trickles in (nothing answered meanwhile): node's headersTimeout.
        if (quietMs >= headersTimeoutMs) {
          conn.timeOut(REQUEST_TIMEOUT);
        }
      } else if (conn.isIdle && quietMs >= keepAliveMs) {
        conn.destroy();
      }
    }
  }
}
