// One request from a client and the response to it, on a client connection of the ingress'
// HTTP/1.x server (./client-connection.ts). The response is framed as HTTP/1.1 requires: the
// backend's Content-Length kept, else chunked for HTTP/1.1 clients, else delimited by closing;
// Connection/Keep-Alive and Date added as node:http adds them. The head goes out with the first
// body bytes in one write.
import type { Socket } from 'node:net';
import type { BodySource } from './replayable-body.js';
import type { RequestHead } from './request-parser.js';

/** What an exchange needs from its connection. */
export interface ExchangeConnection {
  readonly socket: Socket;
  /** Seconds announced in `Keep-Alive: timeout=`. */
  readonly keepAliveSeconds: number;
  /** False once the connection takes no further request (closing, shutting down). */
  readonly isReusable: boolean;
  /** ex answered completely (isComplete) or is given up; the connection moves on. */
  finished(ex: ClientExchange, isComplete: boolean): void;
  /** The request body's reader wants (no) more bytes for now. */
  setBodyPaused(isPaused: boolean): void;
}

type CloseListener = (isComplete: boolean) => void;

const LAST_CHUNK = '0\r\n\r\n';
/** Body chunks up to this size go out in one buffer with the head (copied), larger ones corked. */
const COPY_LIMIT = 16 * 1024;

let dateSecond = -1;
let dateText = '';

/** The Date header's value, formatted once per second. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** Header lines for a head, and whether they frame the body by length or carry a Date. */
function headerLines(raw: readonly string[]): {
  lines: string;
  hasLength: boolean;
  hasDate: boolean;
} {
  let lines = '';
  let hasLength = false;
  let hasDate = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      hasLength = true;
    } else if (name.length === 4 && name.toLowerCase() === 'date') {
      hasDate = true;
    }
    lines += `${name}: ${raw[i + 1] ?? ''}\r\n`;
  }
  return { lines, hasLength, hasDate };
}

/** The body of a request as the parser delivers it: held until read, paused on request. */
export class IncomingBody implements BodySource {
  private onData: ((chunk: Buffer) => void) | undefined;
  private onEnd: (() => void) | undefined;
  private held: Buffer[] = [];
  private isEnded = false;
  private isEndEmitted = false;
  private isDiscarded = false;
  isPaused = false;

  constructor(private readonly connection: ExchangeConnection) {}

  on(_event: 'data', listener: (chunk: Buffer) => void): this {
    this.onData = listener;
    queueMicrotask(() => this.flush());
    return this;
  }

  once(_event: 'end', listener: () => void): this {
    this.onEnd = listener;
    queueMicrotask(() => this.flush());
    return this;
  }

  pause(): this {
    if (!this.isPaused) {
      this.isPaused = true;
      this.connection.setBodyPaused(true);
    }
    return this;
  }

  resume(): this {
    if (this.isPaused) {
      this.isPaused = false;
      this.flush();
      this.connection.setBodyPaused(this.isPaused);
    }
    return this;
  }

  /** The exchange is over before its body was read: the rest is dropped as it arrives. */
  discard(): void {
    this.isDiscarded = true;
    this.onData = undefined;
    this.onEnd = undefined;
    this.held = [];
    this.isPaused = false;
  }

  /** From the parser. */
  push(chunk: Buffer): void {
    if (this.isDiscarded) {
      return;
    }
    if (this.onData && !this.isPaused && this.held.length === 0) {
      this.onData(chunk);
    } else {
      this.held.push(chunk);
    }
  }

  /** From the parser: the body is complete. */
  end(): void {
    this.isEnded = true;
    this.flush();
  }

  private flush(): void {
    while (this.onData && !this.isPaused && this.held.length > 0) {
      this.onData(this.held.shift() as Buffer);
    }
    if (this.isEnded && !this.isEndEmitted && this.held.length === 0 && this.onEnd) {
      this.isEndEmitted = true;
      this.onEnd();
    }
  }
}

export class ClientExchange {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly httpMinor: number;
  readonly hasBody: boolean;
  /** The Host header's value, if any. */
  readonly host: string | undefined;
  readonly body: IncomingBody;
  statusCode = 0;
  headersSent = false;
  /** end() was called: the whole response is written. */
  isFinished = false;
  /** Answered or given up: nothing more is written. */
  isClosed = false;
  /** The connection stays open after this response. */
  private isKeepAlive: boolean;
  private isChunked = false;
  /** The head, held until the first body bytes (or end) so both go out in one write. */
  private pendingHead: string | undefined;
  private closeListener: CloseListener | undefined;

  constructor(
    head: RequestHead,
    private readonly connection: ExchangeConnection,
  ) {
    this.method = head.method;
    this.url = head.url;
    this.rawHeaders = head.rawHeaders;
    this.httpMinor = head.httpMinor;
    this.hasBody = head.hasBody;
    this.host = head.host;
    this.isKeepAlive = head.isKeepAlive;
    this.body = new IncomingBody(connection);
  }

  get socket(): Socket {
    return this.connection.socket;
  }

  /** Whether the connection is kept open after this response (known once the head is written). */
  get keepsAlive(): boolean {
    return this.isKeepAlive;
  }

  /** Called once, when the response ends (true) or is given up (false). */
  onClose(listener: CloseListener): void {
    this.closeListener = listener;
  }

  /**
   * Sets the response head from end-to-end headers ([name, value, ...]; no hop-by-hop ones:
   * framing, Connection and Keep-Alive are this exchange's own).
   */
  writeHead(status: number, message: string, rawHeaders: readonly string[]): void {
    if (this.headersSent || this.isClosed) {
      return;
    }
    this.headersSent = true;
    this.statusCode = status;
    const { lines, hasLength, hasDate } = headerLines(rawHeaders);
    let head = `HTTP/1.1 ${status} ${message}\r\n${lines}`;
    if (!hasDate) {
      head += `Date: ${httpDate()}\r\n`;
    }
    const isBodiless = this.method === 'HEAD' || status === 204 || status === 304 || status < 200;
    if (!isBodiless && !hasLength) {
      // HTTP/1.0 clients learn where such a body ends only from the close.
      this.isChunked = this.httpMinor >= 1;
      this.isKeepAlive &&= this.isChunked;
    }
    if (this.isChunked) {
      head += 'Transfer-Encoding: chunked\r\n';
    }
    this.isKeepAlive &&= this.connection.isReusable;
    head += this.isKeepAlive
      ? `Connection: keep-alive\r\nKeep-Alive: timeout=${this.connection.keepAliveSeconds}\r\n\r\n`
      : 'Connection: close\r\n\r\n';
    this.pendingHead = head;
  }

  /** Body bytes; false when the client is slow and 'drain' should be awaited. */
  write(chunk: Buffer): boolean {
    if (this.isClosed || this.isFinished || chunk.length === 0) {
      return true;
    }
    const socket = this.connection.socket;
    const head = this.pendingHead;
    if (head === undefined && !this.isChunked) {
      return socket.write(chunk);
    }
    this.pendingHead = undefined;
    const prefix = this.isChunked
      ? `${head ?? ''}${chunk.length.toString(16)}\r\n`
      : (head as string);
    const suffix = this.isChunked ? '\r\n' : '';
    if (chunk.length > COPY_LIMIT) {
      socket.cork();
      socket.write(prefix, 'latin1');
      socket.write(chunk);
      const isFlowing = suffix ? socket.write(suffix, 'latin1') : true;
      socket.uncork();
      return isFlowing;
    }
    // One buffer, one write: cheaper in node than a corked writev for the usual small body.
    const out = Buffer.allocUnsafe(prefix.length + chunk.length + suffix.length);
    out.write(prefix, 0, 'latin1');
    chunk.copy(out, prefix.length);
    if (suffix) {
      out.write(suffix, prefix.length + chunk.length, 'latin1');
    }
    return socket.write(out);
  }

  /** The response is complete. */
  end(): void {
    if (this.isClosed || this.isFinished) {
      return;
    }
    if (!this.headersSent) {
      this.writeHead(200, 'OK', ['Content-Length', '0']);
    }
    this.isFinished = true;
    const tail = this.isChunked ? LAST_CHUNK : '';
    const head = this.pendingHead;
    this.pendingHead = undefined;
    if (head !== undefined || tail) {
      this.connection.socket.write((head ?? '') + tail, 'latin1');
    }
    this.close(true);
  }

  /** Gives the response up: the connection is closed (the client sees a cut response). */
  destroy(): void {
    if (!this.isClosed) {
      this.connection.socket.destroy();
    }
  }

  once(_event: 'drain', listener: () => void): this {
    this.connection.socket.once('drain', listener);
    return this;
  }

  /** From the connection, or end(): reports once, then lets the connection move on. */
  close(isComplete: boolean): void {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    const listener = this.closeListener;
    this.closeListener = undefined;
    listener?.(isComplete);
    this.connection.finished(this, isComplete);
  }
}
