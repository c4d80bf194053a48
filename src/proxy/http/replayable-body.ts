// A request body that can be sent again: chunks are kept (up to a limit) while they stream to
// the current attempt, so a retry replays them and then follows the live stream. Once the body
// outgrows the limit it streams on but can no longer be replayed.

/** Where an attempt's request body goes: a Writable, or an upstream connection's framing. */
export interface BodySink {
  /** false: wait for 'drain' before writing more. */
  write(chunk: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/** Where a body's bytes come from: a Readable, or the ingress' own request parser. */
export interface BodySource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** What the forwarder sends as a request body, once per attempt. */
export interface RequestBody {
  readonly isReplayable: boolean;
  attach(sink: BodySink): void;
  detach(): void;
}

/** A request without a body (most GETs): every attempt just ends its request. */
export const EMPTY_BODY: RequestBody = {
  isReplayable: true,
  attach: (sink) => sink.end(),
  detach: () => {},
};

export class ReplayableBody implements RequestBody {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private overflowed = false;
  private ended = false;
  private sink: BodySink | undefined;
  private onDrain: (() => void) | undefined;

  constructor(
    private readonly source: BodySource,
    private readonly limitBytes: number,
  ) {
    source.on('data', (chunk: Buffer) => this.data(chunk));
    source.once('end', () => {
      this.ended = true;
      this.sink?.end();
    });
  }

  /** Every byte received so far is kept: a new attempt can send the whole body. */
  get isReplayable(): boolean {
    return !this.overflowed;
  }

  /** Sends the body to sink: the kept chunks first, then the rest as it arrives. */
  attach(sink: BodySink): void {
    this.detach();
    this.sink = sink;
    for (const chunk of this.chunks) {
      sink.write(chunk);
    }
    if (this.ended) {
      sink.end();
    } else {
      this.source.resume();
    }
  }

  /** The current attempt is over: hold the stream until the next one attaches. */
  detach(): void {
    if (this.sink && this.onDrain) {
      this.sink.off('drain', this.onDrain);
    }
    this.sink = undefined;
    this.onDrain = undefined;
    if (!this.ended) {
      this.source.pause();
    }
  }

  private data(chunk: Buffer): void {
    if (!this.overflowed) {
      if (this.bytes + chunk.length <= this.limitBytes) {
        this.chunks.push(chunk);
        this.bytes += chunk.length;
      } else {
        this.overflowed = true;
        this.chunks = [];
      }
    }
    const sink = this.sink;
    if (sink && !sink.write(chunk)) {
      this.source.pause();
      this.onDrain = () => {
        this.onDrain = undefined;
        this.source.resume();
      };
      sink.once('drain', this.onDrain);
    }
  }
}
