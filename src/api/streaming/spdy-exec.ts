// exec/attach over SPDY/3.1 (kubectl <= 1.29, and the fallback of newer ones): the client opens
// one stream per channel (streamType error|stdin|stdout|stderr|resize); the session starts once
// all the expected ones exist, and its status goes on the error stream.
import type { Duplex } from 'node:stream';
import type { SpdyStream } from 'spdy-transport';
import { runExecSession } from './exec-session.js';
import type { ExecTransport, RunOptions } from './exec-session.js';
import { spdyJsonStatus, spdyResize } from './protocols.js';
import { acceptSpdy, endStream, reply, streamHeader } from './spdy.js';
import { encodeChannelStatus } from './status.js';
import type { ExecRequest } from './types.js';

/** How long the client gets to close the connection after the status (then we do). */
const LINGER_MS = 10_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';
const STREAM_TYPES: readonly string[] = ['error', 'stdin', 'stdout', 'stderr', 'resize'];

export interface SpdyExecOptions extends RunOptions {
  protocol: string;
  streamCreationTimeoutMs: number;
}

/** The number of streams the client opens for a request under a protocol version. */
export function expectedStreams(request: ExecRequest, protocol: string): number {
  const flags = [
    request.stdin,
    request.stdout,
    request.stderr,
    request.tty && spdyResize(protocol),
  ];
  return 1 + flags.filter(Boolean).length;
}

/** Serves one exec/attach session on a socket already switched to SPDY/3.1. */
export function serveSpdyExec(
  socket: Duplex,
  request: ExecRequest,
  opts: SpdyExecOptions,
): Promise<void> {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const streams = new Map<StreamType, SpdyStream>();
  const expected = expectedStreams(request, opts.protocol);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      opts.log.debug({ pod: request.pod }, 'timed out waiting for client to create streams');
      socket.destroy();
      resolve();
    }, opts.streamCreationTimeoutMs);
    void closed.then(() => {
      clearTimeout(timer);
      resolve();
    });
    acceptSpdy(socket, opts.log, (stream) => {
      const type = streamHeader(stream, 'streamType');
      if (!STREAM_TYPES.includes(type) || streams.has(type as StreamType)) {
        opts.log.debug({ type }, 'unexpected stream type');
        stream.abort();
        return;
      }
      reply(stream);
      streams.set(type as StreamType, stream);
      if (streams.size === expected) {
        clearTimeout(timer);
        const transport = spdyTransport(socket, streams, opts.protocol, closed);
        void runExecSession(transport, request, opts).then(resolve);
      }
    });
  });
}

function spdyTransport(
  socket: Duplex,
  streams: Map<StreamType, SpdyStream>,
  protocol: string,
  closed: Promise<void>,
): ExecTransport {
  const error = streams.get('error');
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    resize: streams.get('resize'),
    writeStatus: (status) =>
      new Promise<void>((resolve) => {
        const bytes = encodeChannelStatus(status, spdyJsonStatus(protocol));
        if (!error || error.writableEnded || error.destroyed) {
          resolve();
          return;
        }
        if (bytes) {
          error.write(bytes);
        }
        error.end(() => resolve());
      }),
    finish: () => {
      for (const stream of streams.values()) {
        endStream(stream);
      }
      // client-go closes the connection once it has read every stream to its end.
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      void closed.then(() => clearTimeout(timer));
    },
    closed,
  };
}
