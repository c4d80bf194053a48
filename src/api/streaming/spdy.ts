// A server-side SPDY/3.1 connection (spdy-transport) that accepts kubelet-style streams: their
// SYN_STREAMs carry only Kubernetes headers (streamType, port, requestID), no :method/:path.
import type { Duplex } from 'node:stream';
import transport from 'spdy-transport';
import type { HeaderCallback, SpdyConnection, SpdyStream } from 'spdy-transport';
import type { StreamingLog } from './types.js';

/** The server's receive window per stream and for the session (client-go uses the same order). */
const WINDOW_BYTES = 1 << 20;

/** Serves SPDY/3.1 on an upgraded socket; every stream the client opens is passed to onStream. */
export function acceptSpdy(
  socket: Duplex,
  log: StreamingLog,
  onStream: (stream: SpdyStream) => void,
): SpdyConnection {
  const conn = transport.connection.create(socket, {
    protocol: 'spdy',
    isServer: true,
    windowSize: WINDOW_BYTES,
  });
  acceptBareStreams(conn);
  // An unhandled 'error' (a client GOAWAY or reset, a parse error) would crash the process.
  conn.on('error', (err: unknown) => log.debug({ err }, 'spdy connection'));
  conn.on('stream', (stream: SpdyStream) => {
    stream.on('error', (err) => log.debug({ err, stream: stream.id }, 'spdy stream'));
    onStream(stream);
  });
  conn.start(3.1);
  return conn;
}

/**
 * spdy-transport refuses a SYN_STREAM without `:method` and `:path` (HTTP-over-SPDY); Kubernetes
 * streams have neither, so this connection's parser fills them in after decoding the headers.
 */
function acceptBareStreams(conn: SpdyConnection): void {
  const parser = conn._spdyState.parser;
  const parseKVs = parser.parseKVs.bind(parser);
  parser.parseKVs = (buffer: unknown, callback: HeaderCallback): void => {
    parseKVs(buffer, (err, headers) => {
      if (!err && headers) {
        headers[':method'] ??= 'POST';
        headers[':path'] ??= '/';
      }
      callback(err, headers);
    });
  };
}

/** A Kubernetes stream header (`streamtype`, `port`, `requestid`; SPDY lower-cases names). */
export function streamHeader(stream: SpdyStream, name: string): string {
  const value = stream.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** SYN_REPLY with no headers, as the kubelet's spdystream sends. */
export function reply(stream: SpdyStream): void {
  stream.respond(200, {});
}

/** Ends our side of a stream (FIN) if it is still open. */
export function endStream(stream: SpdyStream | undefined): void {
  if (stream && !stream.writableEnded && !stream.destroyed) {
    stream.end();
  }
}
