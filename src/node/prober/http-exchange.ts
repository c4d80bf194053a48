// One HTTP request/response of an httpGet probe over a fresh connection (Go's transport with
// keep-alives off): errors worded by the phase they hit, the body cut at 10 KiB.
import http, { type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { HttpLocation } from './http-request.js';
import { connError, dialError } from './net-errors.js';
import { goQuote, joinHostPort } from './port.js';

/** pkg/probe/http's maxRespBodyLength: the rest of a body is never read. */
export const MAX_BODY_BYTES = 10 * 1024;

export type Reply =
  | { kind: 'response'; status: number; location?: string; body: string }
  /** Failed before a response: upstream wraps it as `Get "<url>": <message>`. */
  | { kind: 'error'; message: string }
  /** Failed while reading the body: upstream returns it as an error, unwrapped. */
  | { kind: 'body-error'; message: string };

export interface ExchangeControl {
  /** Aborts the exchange: the probe's deadline or the worker's shutdown. */
  stop: AbortSignal;
  isTimeout(): boolean;
}

type Phase = 'dial' | 'headers' | 'body';

function abortReply(phase: Phase, isTimeout: boolean): Reply {
  if (!isTimeout) {
    return phase === 'body'
      ? { kind: 'body-error', message: 'context canceled' }
      : { kind: 'error', message: 'context canceled' };
  }
  return phase === 'body'
    ? {
        kind: 'body-error',
        message:
          'context deadline exceeded (Client.Timeout or context cancellation while reading body)',
      }
    : {
        kind: 'error',
        message: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      };
}

function peer(s: Socket): { local: string; remote: string } {
  return {
    local: joinHostPort(s.localAddress ?? '', s.localPort ?? 0),
    remote: joinHostPort(s.remoteAddress ?? '', s.remotePort ?? 0),
  };
}

/** One request in flight; settles exactly once. */
class Exchange {
  private phase: Phase = 'dial';
  private addrs: { local: string; remote: string };
  private req: http.ClientRequest | undefined;
  private res: http.IncomingMessage | undefined;
  private isSettled = false;
  private readonly onAbort = (): void => this.settle(abortReply(this.phase, this.ctl.isTimeout()));

  constructor(
    private readonly loc: HttpLocation,
    private readonly ctl: ExchangeControl,
    private readonly resolve: (reply: Reply) => void,
  ) {
    this.addrs = { local: '', remote: joinHostPort(loc.host, loc.port) };
  }

  start(headers: OutgoingHttpHeaders): void {
    this.ctl.stop.addEventListener('abort', this.onAbort, { once: true });
    const loc = this.loc;
    try {
      this.req = (loc.scheme === 'https' ? https : http).request({
        host: loc.host,
        port: loc.port,
        path: loc.path.startsWith('/') ? loc.path : `/${loc.path}`,
        method: 'GET',
        headers,
        agent: false,
        rejectUnauthorized: false,
      });
    } catch (err) {
      this.settle({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.req.on('socket', (socket: Socket) => this.onSocket(socket));
    this.req.on('response', (res) => this.onResponse(res));
    this.req.on('error', (err) => {
      const { local, remote } = this.addrs;
      const message =
        this.phase === 'dial' ? dialError(err, remote) : connError(err, local, remote);
      this.settle({ kind: 'error', message });
    });
    this.req.end();
  }

  private onSocket(socket: Socket): void {
    const connected = (): void => {
      this.phase = 'headers';
      this.addrs = peer(socket);
    };
    if (socket.connecting) {
      socket.once('connect', connected);
    } else {
      connected();
    }
  }

  private onResponse(res: http.IncomingMessage): void {
    this.res = res;
    this.phase = 'body';
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
      this.settle({
        kind: 'response',
        status: res.statusCode ?? 0,
        location: res.headers.location,
        body,
      });
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) {
        done();
      }
    });
    res.on('end', done);
    // A connection lost mid-body: Go's reader reports io.ErrUnexpectedEOF.
    res.on('close', () => this.settle({ kind: 'body-error', message: 'unexpected EOF' }));
    // The 'close' above reports the failure; this listener only keeps 'error' from throwing.
    res.on('error', () => undefined);
  }

  private settle(reply: Reply): void {
    if (this.isSettled) {
      return;
    }
    this.isSettled = true;
    this.ctl.stop.removeEventListener('abort', this.onAbort);
    this.res?.destroy();
    this.req?.destroy();
    this.resolve(reply);
  }
}

/** Sends one GET to `loc` and reads the status, Location and up to 10 KiB of body. */
export function exchange(
  loc: HttpLocation,
  headers: OutgoingHttpHeaders,
  ctl: ExchangeControl,
): Promise<Reply> {
  if (loc.scheme !== 'http' && loc.scheme !== 'https') {
    return Promise.resolve({
      kind: 'error',
      message: `unsupported protocol scheme ${goQuote(loc.scheme)}`,
    });
  }
  if (ctl.stop.aborted) {
    return Promise.resolve(abortReply('dial', ctl.isTimeout()));
  }
  return new Promise<Reply>((resolve) => new Exchange(loc, ctl, resolve).start(headers));
}
