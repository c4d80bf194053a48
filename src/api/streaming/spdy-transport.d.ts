// Types for the parts of spdy-transport 3 (no published typings) that the streaming layer uses.
declare module 'spdy-transport' {
  import type { EventEmitter } from 'node:events';
  import type { Duplex } from 'node:stream';

  /** One SPDY stream; readable = what the peer sends, writable = what we send. */
  export interface SpdyStream extends Duplex {
    readonly id: number;
    readonly headers: Record<string, string | string[] | undefined>;
    /** SYN_REPLY. */
    respond(
      status: number,
      headers: Record<string, string>,
      callback?: (err?: Error) => void,
    ): void;
    /** RST_STREAM (CANCEL unless a code is given). */
    abort(code?: string, callback?: () => void): void;
  }

  export type HeaderCallback = (err: Error | null, headers?: Record<string, unknown>) => void;

  export interface SpdyParser {
    parseKVs(buffer: unknown, callback: HeaderCallback): void;
  }

  export interface SpdyConnection extends EventEmitter {
    /** Starts a server connection at this version (3.1 for kubectl). */
    start(version: number): void;
    /** Opens a stream (client connections; tests use one). */
    request(
      options: { method: string; path: string; headers: Record<string, string> },
      callback?: (err: Error | null, stream: SpdyStream) => void,
    ): SpdyStream;
    /** GOAWAY, then closes the socket once every stream is done. */
    end(callback?: () => void): void;
    _spdyState: { parser: SpdyParser };
  }

  export interface ConnectionOptions {
    protocol: 'spdy' | 'http2';
    isServer: boolean;
    windowSize?: number;
    maxStreams?: number;
    autoSpdy31?: boolean;
  }

  export const connection: {
    create(socket: Duplex, options: ConnectionOptions): SpdyConnection;
  };
}
