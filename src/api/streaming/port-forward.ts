// port-forward over SPDY/3.1 (directly, or tunnelled in a WebSocket): per forwarded connection
// the client opens an error and a data stream sharing a requestID; data is piped to a TCP
// connection the runtime dials in the pod, and failures are written as text on the error stream.
import type { Duplex } from 'node:stream';
import type { SpdyStream } from 'spdy-transport';
import { acceptSpdy, endStream, reply, streamHeader } from './spdy.js';
import type { PortForwarder, StreamingLog } from './types.js';

export interface PortForwardOptions {
  namespace: string;
  pod: string;
  uid: string;
  forwarder: PortForwarder;
  log: StreamingLog;
  streamCreationTimeoutMs: number;
}

interface StreamPair {
  requestID: string;
  data?: SpdyStream;
  error?: SpdyStream;
  timer?: NodeJS.Timeout;
}

/** Why the kubelet would refuse a port-forward stream, or undefined when it is acceptable. */
export function portForwardStreamProblem(headers: {
  port: string;
  streamType: string;
}): string | undefined {
  const { port, streamType } = headers;
  if (port === '') {
    return '"port" header is required';
  }
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    return `unable to parse "${port}" as a port`;
  }
  if (Number(port) < 1) {
    return `port "${port}" must be > 0`;
  }
  if (streamType === '') {
    return '"streamType" header is required';
  }
  if (streamType !== 'error' && streamType !== 'data') {
    return `invalid stream type "${streamType}"`;
  }
  return undefined;
}

/**
 * The pair a stream belongs to. Clients older than requestID pair streams by id: error n with
 * data n+2, as the kubelet guesses.
 */
export function requestIdOf(requestID: string, streamType: string, streamId: number): string {
  if (requestID !== '') {
    return requestID;
  }
  return String(streamType === 'error' ? streamId : streamId - 2);
}

/** Serves port-forward on a socket switched to SPDY/3.1; resolves when the connection closes. */
export function servePortForward(socket: Duplex, opts: PortForwardOptions): Promise<void> {
  const pairs = new Map<string, StreamPair>();
  const dialed = new Set<Duplex>();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  acceptSpdy(socket, opts.log, (stream) => {
    const port = streamHeader(stream, 'port');
    const streamType = streamHeader(stream, 'streamType');
    const problem = portForwardStreamProblem({ port, streamType });
    if (problem) {
      opts.log.debug({ problem }, 'port-forward stream rejected');
      stream.abort();
      return;
    }
    reply(stream);
    const id = requestIdOf(streamHeader(stream, 'requestID'), streamType, stream.id);
    let pair = pairs.get(id);
    if (!pair) {
      pair = { requestID: id };
      pairs.set(id, pair);
      pair.timer = pairTimeout(pair, pairs, opts.streamCreationTimeoutMs);
    }
    const slot = streamType === 'data' ? 'data' : 'error';
    if (pair[slot]) {
      writeError(
        pair,
        `error processing stream for request ${id}: ${slot} stream already assigned`,
      );
      stream.abort();
      return;
    }
    pair[slot] = stream;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(id);
      const dataPort = Number(streamHeader(pair.data, 'port'));
      void forward({ data: pair.data, error: pair.error }, dataPort, opts, dialed);
    }
  });
  return closed.then(() => {
    for (const pair of pairs.values()) {
      clearTimeout(pair.timer);
    }
    for (const target of dialed) {
      target.destroy();
    }
  });
}

function pairTimeout(pair: StreamPair, pairs: Map<string, StreamPair>, ms: number): NodeJS.Timeout {
  return setTimeout(() => {
    pairs.delete(pair.requestID);
    writeError(pair, `timed out waiting for streams for request ${pair.requestID}`);
    endStream(pair.error);
    pair.data?.abort();
  }, ms);
}

function writeError(pair: { error?: SpdyStream }, message: string): void {
  if (pair.error && !pair.error.writableEnded) {
    pair.error.write(message);
  }
}

/** Dials the pod's port and pipes both ways; the error stream ends when the forwarding does. */
async function forward(
  pair: { data: SpdyStream; error: SpdyStream },
  port: number,
  opts: PortForwardOptions,
  dialed: Set<Duplex>,
): Promise<void> {
  const { data, error } = pair;
  let target: Duplex;
  try {
    target = await opts.forwarder.dial(opts.namespace, opts.pod, port);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    error.end(
      `error forwarding port ${port} to pod ${opts.pod}_${opts.namespace}, uid ${opts.uid}: ${why}`,
    );
    endStream(data);
    return;
  }
  dialed.add(target);
  let failure: string | undefined;
  target.on('error', (err) => {
    failure = err.message;
  });
  target.once('close', () => {
    dialed.delete(target);
    if (failure !== undefined) {
      writeError(
        pair,
        `error forwarding port ${port} to pod ${opts.pod}_${opts.namespace}, uid ${opts.uid}: ${failure}`,
      );
    }
    endStream(data);
    endStream(error);
  });
  // The client ended its side (the local connection closed): half-close towards the pod.
  data.pipe(target);
  target.pipe(data, { end: true });
  data.once('close', () => target.destroy());
}
