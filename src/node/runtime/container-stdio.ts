// The stdin (a pipe) or terminal (a pty master) the agent holds for a container started with
// `stdin` or `tty`, shared by its attach sessions: their input goes in, terminal output fans out
// to them, and stdinOnce closes the container's stdin once a client's input ends.
import type { Writable } from 'node:stream';
import type { IPty } from 'node-pty';

/** A terminal size as kubectl reports it (columns and rows). */
export interface TerminalSize {
  width: number;
  height: number;
}

/** Terminal output kept for the first attach (kubectl run attaches just after the start). */
const REPLAY_MAX_BYTES = 64 * 1024;

type OutputListener = (chunk: Buffer) => void;

/** One container instance's stdin and terminal, held by the agent that started it. */
export class ContainerStdio {
  private readonly listeners = new Set<OutputListener>();
  private replay: Buffer[] | undefined = [];
  private replayBytes = 0;
  private isStdinClosed: boolean;
  private attaches = 0;
  private isOutputOver = false;
  private readonly outputOver: Promise<void>;
  private endOutput: () => void = () => undefined;

  private constructor(
    private readonly input: { pipe?: Writable; term?: IPty },
    /** Whether the container asked for stdin (a terminal without stdin takes no input). */
    hasStdin: boolean,
    readonly stdinOnce: boolean,
  ) {
    this.isStdinClosed = !hasStdin;
    this.outputOver = new Promise((resolve) => (this.endOutput = resolve));
    // The app may exit or close its stdin while a client still writes: that is not an error.
    input.pipe?.on('error', () => this.closeStdin());
    if (!input.term) {
      // Output goes to files, never through a pipe holder.
      this.replay = undefined;
      this.endOutput();
    }
  }

  /** A holder of a stdin pipe (output goes to files, not through the holder). */
  static forPipe(pipe: Writable, stdinOnce: boolean): ContainerStdio {
    return new ContainerStdio({ pipe }, true, stdinOnce);
  }

  /** A holder of a terminal; the caller feeds its output through `output()`. */
  static forTerminal(term: IPty, hasStdin: boolean, stdinOnce: boolean): ContainerStdio {
    return new ContainerStdio({ term }, hasStdin, stdinOnce);
  }

  get tty(): boolean {
    return this.input.term !== undefined;
  }

  /** Whether input still reaches the container. */
  get isStdinOpen(): boolean {
    return !this.isStdinClosed;
  }

  /** Counts an attach; true for the first one of this instance. */
  beginAttach(): boolean {
    this.attaches += 1;
    return this.attaches === 1;
  }

  /** Writes client input; dropped once stdin is closed (as containerd drops it). */
  write(chunk: Buffer, done: () => void): void {
    if (this.isStdinClosed) {
      done();
      return;
    }
    if (this.input.term) {
      this.input.term.write(chunk);
      done();
      return;
    }
    this.input.pipe?.write(chunk, () => done());
  }

  /** EOF for a pipe. A terminal has no EOF of its own; stdinOnce only stops taking input. */
  closeStdin(): void {
    if (this.isStdinClosed) {
      return;
    }
    this.isStdinClosed = true;
    this.input.pipe?.end();
  }

  resize(size: TerminalSize): void {
    if (this.input.term && !this.isOutputOver && size.width > 0 && size.height > 0) {
      this.input.term.resize(size.width, size.height);
    }
  }

  /** Terminal output, from the reader of the pty: fanned out, and kept until the first attach. */
  output(chunk: Buffer): void {
    if (this.replay && this.replayBytes < REPLAY_MAX_BYTES) {
      this.replay.push(chunk);
      this.replayBytes += chunk.length;
    }
    for (const listener of this.listeners) {
      listener(chunk);
    }
  }

  /** The terminal was read to its end (the container exited). */
  finishOutput(): void {
    this.isOutputOver = true;
    this.isStdinClosed = true;
    this.endOutput();
  }

  /** Resolves once no more output will come. */
  outputEnded(): Promise<void> {
    return this.outputOver;
  }

  /**
   * Subscribes to terminal output; `withReplay` first hands over what was written before the
   * first attach. Returns the unsubscribe function.
   */
  subscribe(listener: OutputListener, withReplay: boolean): () => void {
    const replay = this.replay;
    this.replay = undefined;
    if (withReplay && replay && replay.length > 0) {
      listener(Buffer.concat(replay));
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
