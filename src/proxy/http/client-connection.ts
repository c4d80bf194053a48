// One client connection of the ingress' HTTP/1.x server: requests parsed as they arrive and
// answered strictly in order (a pipelined request waits, reading paused, until the one before
// it is answered), keep-alive as the client and the response allow, request bodies read with
// backpressure, upgrades handed over with the bytes that followed their head, and malformed
// requests answered 400 (431 for an oversized head) before the connection closes.
import type { Socket } from 'node:net';
import { ClientExchange } from './client-exchange.js';
import type { ExchangeConnection } from './client-exchange.js';
import { firstHeader } from './headers.js';
import { RequestParser } from './request-parser.js';
import type { RequestHead } from './request-parser.js';
import type { LlhttpError } from './llhttp.js';

/** What a connection needs from its server. */
export interface ConnectionOwner {
  readonly keepAliveSeconds: number;
  /** False while shutting down: every response closes its connection. */
  readonly isAccepting: boolean;
  /** A coarse clock (ms) for idle and head timeouts. */
  readonly clockMs: number;
  request(ex: ClientExchange): void;
  /** Returns false when upgrades are not served (the request is then answered as any other). */
  upgrade(head: RequestHead, socket: Socket, rest: Buffer): boolean;
  forget(conn: ClientConnection): void;
}

/** Answers node:http gives a request it cannot parse. */
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const HEAD_TOO_LARGE = 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n';

function rejection(err: LlhttpError): string {
  return err.code === 'HPE_HEADER_OVERFLOW' ? HEAD_TOO_LARGE : BAD_REQUEST;
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

export class ClientConnection implements ExchangeConnection {
  private readonly parser: RequestParser;
  /** Requests not yet answered, oldest first; the first one is being answered. */
  private readonly queue: ClientExchange[] = [];
  /** The request whose body the parser is reading. */
  private reading: ClientExchange | undefined;
  /** An upgrade head waiting for the requests before it, and the bytes after it. */
  private pendingUpgrade: { head: RequestHead; rest: Buffer } | undefined;
  private upgradeHead: RequestHead | undefined;
  /** What to send once every earlier request is answered, before closing (a 400). */
  private pendingRejection: string | undefined;
  /** No further request is read (Connection: close, the client's FIN, an error). */
  private isClosing = false;
  private isReadPaused = false;
  private isBodyPaused = false;
  private isDetached = false;
  private isPumping = false;
  private isPumpWanted = false;
  /** The request in line that was handed to the owner. */
  private started: ClientExchange | undefined;
  /** Bytes of a head arrived, the head is not complete yet. */
  isReadingHead = false;
  /** When the connection last went idle or started a head (owner's clock). */
  lastActiveMs: number;

  constructor(
    readonly socket: Socket,
    private readonly owner: ConnectionOwner,
  ) {
    this.lastActiveMs = owner.clockMs;
    // The client's FIN is handled here (ended()), not by the socket's automatic end.
    socket.allowHalfOpen = true;
    socket.setNoDelay(true);
    this.parser = new RequestParser({
      head: (head) => this.head(head),
      body: (chunk) => this.reading?.body.push(chunk),
      complete: () => this.complete(),
    });
    socket.on('data', (data: Buffer) => this.data(data));
    socket.on('end', () => this.ended());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closed());
  }

  get keepAliveSeconds(): number {
    return this.owner.keepAliveSeconds;
  }

  /** Responses may keep the connection (a request's own Connection: close ends it after it). */
  get isReusable(): boolean {
    return this.owner.isAccepting;
  }

  /** Idle: nothing to answer, nothing half-read. */
  get isIdle(): boolean {
    return this.queue.length === 0 && this.reading === undefined && !this.isDetached;
  }

  setBodyPaused(isPaused: boolean): void {
    this.isBodyPaused = isPaused;
    this.updateReading();
  }

  finished(ex: ClientExchange, isComplete: boolean): void {
    if (this.queue[0] !== ex) {
      return;
    }
    this.queue.shift();
    if (this.reading === ex) {
      // Answered before its body was read: the rest is read and dropped.
      ex.body.discard();
      this.isBodyPaused = false;
    }
    if (!isComplete) {
      const rejection = this.pendingRejection;
      if (rejection !== undefined && !ex.headersSent && !this.socket.destroyed) {
        // A request given up for malformed bytes, nothing of it answered yet: 400, then close.
        this.pendingRejection = undefined;
        this.end(rejection);
        this.socket.destroySoon();
        return;
      }
      // A response cut short: the client can only tell from the close.
      this.socket.destroy();
      return;
    }
    if (!ex.keepsAlive) {
      // Requests read after this one are never answered (the client asked to close, or the
      // body's end is the close).
      this.isClosing = true;
      this.end();
      return;
    }
    this.lastActiveMs = this.owner.clockMs;
    this.pump();
  }

  /** The head did not arrive in time (nothing else under way): 408, then the close. */
  timeOut(reply: string): void {
    this.isClosing = true;
    this.updateReading();
    this.end(reply);
    this.socket.destroySoon();
  }

  /** Closes a connection that is idle (keep-alive timeout, shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private data(data: Buffer): void {
    if (this.isClosing) {
      return;
    }
    if (this.reading === undefined && !this.isReadingHead) {
      // A new head starts (or, rarely, the rest of a read that ended with a whole request).
      this.isReadingHead = true;
      this.lastActiveMs = this.owner.clockMs;
    }
    const result = this.parser.execute(data);
    if (typeof result !== 'number') {
      this.malformed(result);
      return;
    }
    const head = this.upgradeHead;
    if (head) {
      this.upgradeHead = undefined;
      this.pendingUpgrade = { head, rest: data.subarray(result) };
      this.pump();
    }
  }

  private head(head: RequestHead): void {
    this.isReadingHead = false;
    if (head.isUpgrade) {
      // Handled once execute() returns, with the bytes that follow the head.
      this.upgradeHead = head;
      return;
    }
    if (head.hostCount > 1 || (head.hostCount === 0 && head.httpMinor >= 1)) {
      // RFC 9112 3.2: HTTP/1.1 without Host, or two Hosts, is answered 400 (as nginx does).
      this.reject(BAD_REQUEST);
      return;
    }
    const ex = new ClientExchange(head, this);
    this.queue.push(ex);
    this.reading = ex;
    this.pump();
  }

  private complete(): void {
    const ex = this.reading;
    this.reading = undefined;
    if (!ex) {
      return;
    }
    ex.body.end();
    if (!ex.keepsAlive) {
      // The client said Connection: close (or HTTP/1.0): nothing after this request is read.
      this.isClosing = true;
    }
    this.updateReading();
  }

  /**
   * Starts the oldest request once it is first in line, or does what waits for the line to
   * empty. A loop, not recursion: answers given synchronously (a 404) move the line on from
   * within, and one read can hold thousands of pipelined requests.
   */
  private pump(): void {
    if (this.isPumping) {
      this.isPumpWanted = true;
      return;
    }
    this.isPumping = true;
    try {
      do {
        this.isPumpWanted = false;
        this.step();
      } while (this.isPumpWanted);
    } finally {
      this.isPumping = false;
    }
  }

  private step(): void {
    const ex = this.queue[0];
    if (ex) {
      this.updateReading();
      if (ex !== this.started) {
        this.started = ex;
        if (
          ex.hasBody &&
          ex.httpMinor >= 1 &&
          firstHeader(ex.rawHeaders, 'expect')?.toLowerCase() === '100-continue'
        ) {
          this.socket.write(CONTINUE, 'latin1');
        }
        this.owner.request(ex);
      }
      return;
    }
    if (this.pendingUpgrade) {
      const { head, rest } = this.pendingUpgrade;
      this.pendingUpgrade = undefined;
      this.handUpgrade(head, rest);
      return;
    }
    const rejection = this.pendingRejection;
    if (rejection !== undefined) {
      this.pendingRejection = undefined;
      this.end(rejection);
    } else if (this.isClosing) {
      this.end();
    } else {
      this.updateReading();
    }
  }

  /** Closes the write side once everything before is written (allowHalfOpen: by hand). */
  private end(last?: string): void {
    if (this.socket.writableEnded) {
      return;
    }
    if (last === undefined) {
      this.socket.end();
    } else {
      this.socket.end(last, 'latin1');
    }
  }

  private handUpgrade(head: RequestHead, rest: Buffer): void {
    const socket = this.socket;
    // Not one byte may be read (and lost) between here and the upgrade's own reader.
    socket.pause();
    this.detach();
    if (!this.owner.upgrade(head, socket, rest)) {
      socket.end(`HTTP/1.1 501 Not Implemented\r\nConnection: close\r\n\r\n`);
    }
  }

  /**
   * Bytes that are not HTTP: answered once the requests before are. A request whose body they
   * break is given up (its backend exchange aborted) and answered 400 itself if nothing of its
   * response went out yet.
   */
  private malformed(err: LlhttpError): void {
    const broken = this.reading;
    this.reading = undefined;
    this.reject(rejection(err));
    if (!broken) {
      return;
    }
    if (broken === this.queue[0]) {
      broken.close(false);
    } else {
      // Never started: nobody waits for it.
      this.queue.splice(this.queue.indexOf(broken), 1);
    }
  }

  /** No further request is read; answer is sent once the requests before are answered. */
  private reject(answer: string): void {
    if (this.isClosing) {
      // Bytes after a request that closes the connection: never read as a request.
      return;
    }
    this.isClosing = true;
    this.pendingRejection = answer;
    this.pump();
  }

  /**
   * The client's FIN. With requests unanswered it has gone away, as nginx (499) and node:http
   * take it: their backends' answers are abandoned. Otherwise the connection just closes.
   */
  private ended(): void {
    this.isClosing = true;
    if (this.queue.length > 0 || this.reading) {
      this.socket.destroy();
      return;
    }
    this.pump();
  }

  private closed(): void {
    for (const ex of this.queue.splice(0)) {
      ex.close(false);
    }
    this.reading = undefined;
    this.detach();
  }

  /** Stops reading requests: the socket is gone or belongs to an upgrade now. */
  private detach(): void {
    if (this.isDetached) {
      return;
    }
    this.isDetached = true;
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('end');
    this.parser.close();
    this.owner.forget(this);
  }

  /** Reads while a request can be taken: not while one waits behind another, a paused body, or closing. */
  private updateReading(): void {
    if (this.isDetached) {
      return;
    }
    const shouldPause =
      this.queue.length > 1 ||
      this.pendingUpgrade !== undefined ||
      (this.isBodyPaused && this.reading !== undefined) ||
      (this.isClosing && this.reading === undefined);
    if (shouldPause !== this.isReadPaused) {
      this.isReadPaused = shouldPause;
      if (shouldPause) {
        this.socket.pause();
      } else {
        this.socket.resume();
      }
    }
  }
}
