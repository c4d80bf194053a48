// Runs one exec/attach session between a client transport (WebSocket channels or SPDY streams)
// and a runtime's ExecSession: input, output, resizes, and the final status after all output.
import type { Readable, Writable } from 'node:stream';
import { ResizeDecoder } from './resize.js';
import { exitStatus, startFailureStatus } from './status.js';
import type { ChannelStatus } from './status.js';
import type { ExecExit, ExecRequest, ExecSession, StreamingLog } from './types.js';

/** The client side of a session, whatever the wire protocol. */
export interface ExecTransport {
  /** The client's stdin; ends when the client closes it. */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Raw resize bytes (a stream of JSON objects). */
  resize?: Readable;
  /** Writes the status on the error channel; resolves once it is handed to the connection. */
  writeStatus(status: ChannelStatus): Promise<void>;
  /** Ends the connection once everything written so far is delivered. */
  finish(): void;
  /** Resolves when the client's connection is gone. */
  closed: Promise<void>;
}

export interface RunOptions {
  verb: 'exec' | 'attach';
  start: (request: ExecRequest) => Promise<ExecSession>;
  log: StreamingLog;
}

const GONE = Symbol('gone');

/** Starts the session, relays until the process exits and its output is drained, then reports. */
export async function runExecSession(
  transport: ExecTransport,
  request: ExecRequest,
  opts: RunOptions,
): Promise<void> {
  const gone = transport.closed.then((): typeof GONE => GONE);
  let session: ExecSession;
  try {
    session = await opts.start(request);
  } catch (e) {
    opts.log.debug({ err: e, pod: request.pod }, `${opts.verb} could not start`);
    await transport.writeStatus(startFailureStatus(e, opts.verb));
    transport.finish();
    return;
  }
  wireInput(transport, session, opts.log);
  const outputs = Promise.all([
    copyOutput(session.stdout, transport.stdout, opts.log),
    copyOutput(session.stderr, transport.stderr, opts.log),
  ]);
  const exit = await Promise.race([settled(session.exit), gone]);
  if (exit === GONE) {
    session.abort();
    return;
  }
  if ((await Promise.race([outputs, gone])) === GONE) {
    return;
  }
  await transport.writeStatus(exitStatus(exit, opts.verb));
  transport.finish();
}

function settled(exit: Promise<ExecExit>): Promise<ExecExit> {
  return exit.catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
}

function wireInput(transport: ExecTransport, session: ExecSession, log: StreamingLog): void {
  const { stdin } = session;
  if (stdin) {
    // The process may exit before reading everything: EPIPE is expected, not a failure.
    stdin.on('error', (err) => log.debug({ err }, 'writing to the process stdin'));
    if (transport.stdin) {
      transport.stdin.pipe(stdin);
    } else {
      stdin.end();
    }
  } else {
    transport.stdin?.resume();
  }
  if (transport.resize) {
    const decoder = new ResizeDecoder();
    transport.resize.on('data', (chunk: Buffer) => {
      for (const size of decoder.push(chunk)) {
        session.resize?.(size);
      }
    });
  }
}

/** Copies one output to the client; resolves once the output ended and the client side finished. */
async function copyOutput(
  source: Readable | undefined,
  dest: Writable | undefined,
  log: StreamingLog,
): Promise<void> {
  if (source) {
    source.on('error', (err) => log.debug({ err }, 'reading process output'));
    if (dest) {
      source.pipe(dest, { end: false });
    } else {
      source.resume();
    }
    await ended(source);
  }
  if (dest) {
    await finished(dest);
  }
}

function ended(source: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (source.readableEnded || source.destroyed) {
      resolve();
      return;
    }
    source.once('end', resolve);
    source.once('close', resolve);
  });
}

function finished(dest: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (dest.writableFinished || dest.destroyed) {
      resolve();
      return;
    }
    dest.once('finish', resolve);
    dest.once('close', resolve);
    dest.once('error', () => resolve());
    dest.end();
  });
}
