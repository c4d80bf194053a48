// Watches over HTTP: a `?watch=true` answer is newline-delimited JSON events, split here into
// lines whatever the chunking (a line may span many chunks, a chunk many lines), bounded in size.
import type { IncomingMessage } from 'node:http';
import type { KubeObject, WatchEvent, WatchEventType } from '../apis/meta.js';
import { ApiError } from '../lib/errors.js';
import type { Status } from '../lib/errors.js';
import type { WatchCallbacks, WatchHandle } from './client.js';
import { HttpClientError, tooLargeError } from './http-transport.js';

const EVENT_TYPES = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
const NEWLINE = 0x0a;

/** Splits a byte stream into lines; refuses a line longer than maxLineBytes. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The complete lines this chunk finishes. Splitting bytes at '\n' never cuts a UTF-8 char. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.take(chunk.subarray(start, nl));
      lines.push(Buffer.concat(this.pending, this.pendingBytes).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.take(chunk.subarray(start));
    }
    return lines;
  }

  /** Whatever followed the last newline (a stream may end without one). */
  rest(): string {
    const text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    return text;
  }

  private take(part: Buffer): void {
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxLineBytes) {
      throw tooLargeError('watch event', this.maxLineBytes);
    }
    this.pending.push(part);
  }
}

/** Parses one watch line; blank lines (keep-alives) give undefined. */
export function parseWatchLine(line: string): WatchEvent | undefined {
  if (line.trim() === '') {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new HttpClientError('InvalidResponse', 'a watch event is not JSON', { cause: e });
  }
  const event = value as { type?: unknown; object?: unknown } | null;
  if (
    typeof event !== 'object' ||
    event === null ||
    !EVENT_TYPES.has(event.type as WatchEventType) ||
    typeof event.object !== 'object' ||
    event.object === null
  ) {
    throw new HttpClientError('InvalidResponse', 'a watch event lacks a known type or an object');
  }
  return { type: event.type as WatchEventType, object: event.object as KubeObject };
}

/**
 * Runs one watch stream opened by `open`: events go to onEvent in order; onClose runs once when
 * the stream ends, fails, or after an ERROR event (with its ApiError). stop() ends it silently.
 */
export function streamWatch(
  open: (signal: AbortSignal) => Promise<IncomingMessage>,
  callbacks: WatchCallbacks,
  maxEventBytes: number,
): WatchHandle {
  // The signal only cancels the request until the answer arrives; after that the answer is
  // destroyed directly (aborting a finished request would destroy a socket back in the pool).
  const abort = new AbortController();
  let response: IncomingMessage | undefined;
  let isDone = false;
  const close = (): void => {
    if (response) {
      response.destroy();
    } else {
      abort.abort();
    }
  };
  const finish = (error?: unknown): void => {
    if (isDone) {
      return;
    }
    isDone = true;
    close();
    callbacks.onClose(error);
  };
  const deliver = (line: string): void => {
    const event = parseWatchLine(line);
    if (!event || isDone) {
      return;
    }
    callbacks.onEvent(event);
    if (event.type === 'ERROR') {
      const status = event.object as unknown as Partial<Status>;
      finish(ApiError.fromStatus(status, status.code ?? 500));
    }
  };
  const follow = (res: IncomingMessage): void => {
    const splitter = new LineSplitter(maxEventBytes);
    res.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk).forEach(deliver);
      } catch (e) {
        finish(e);
      }
    });
    res.once('end', () => {
      try {
        deliver(splitter.rest());
        finish();
      } catch (e) {
        finish(e);
      }
    });
    res.on('error', (e) =>
      finish(new HttpClientError('RequestFailed', `watch: ${e.message}`, { cause: e })),
    );
    res.once('close', () =>
      finish(new HttpClientError('RequestFailed', 'the watch was cut short')),
    );
  };
  open(abort.signal).then(
    (res) => {
      response = res;
      if (isDone) {
        res.destroy();
      } else {
        follow(res);
      }
    },
    (e: unknown) => finish(e),
  );
  return {
    stop: () => {
      isDone = true;
      close();
    },
  };
}
