// `kubectl attach` / `kubectl run -i|-it`: joins a running container's own stdio. Output comes
// from the terminal the agent holds or from the raw output files, from the moment of attach;
// input goes to the stdin the agent holds. The container is never stopped by a session.
import { PassThrough, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import type { ContainerStdio } from '../runtime/container-stdio.js';
import { OutputTail, fileSize, rawOutputPaths } from '../runtime/output-tail.js';
import type { RunningContainer } from '../runtime/process-runtime.js';
import type { ExecExit, ExecSession } from './types.js';

/**
 * kubectl over WebSocket reads messages before it has set up its streams, and drops what comes
 * that early ("Unknown stream id"): output waits for the client's first message (a terminal
 * size or input, sent once its streams exist) or this long.
 */
export const CLIENT_READY_MS = 250;

/** What an attach asks for (tty comes from the container spec, as the kubelet takes it). */
export interface AttachRequest {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** The container instance to attach to. */
export interface AttachTarget {
  process: RunningContainer;
  /** The container spec's stdin, stdinOnce and tty. */
  spec: { stdin?: boolean; stdinOnce?: boolean; tty?: boolean };
  /** For messages: `container "c" in pod "p"`. */
  describe: string;
}

/** An attach that cannot start; the message is what kubectl prints after the server's prefix. */
export class AttachStartError extends Error {
  readonly code = 'AttachStartFailed';
  constructor(message: string) {
    super(message);
    this.name = 'AttachStartError';
  }
}

/** Decides where input goes: the held stdin, nowhere (no stdin in the spec), or a refusal. */
export function attachInput(target: AttachTarget, wantsStdin: boolean): ContainerStdio | undefined {
  if (!wantsStdin || target.spec.stdin !== true) {
    // containerd drops a client's input for a container started without stdin.
    return undefined;
  }
  const stdio = target.process.stdio;
  if (!stdio) {
    throw new AttachStartError(
      `the stdin of ${target.describe} was lost when kubeproc restarted (its output can still ` +
        'be attached without -i)',
    );
  }
  return stdio;
}

/** Joins the container's stdio; rejects with AttachStartError when stdin cannot be had. */
export async function attachToContainer(
  target: AttachTarget,
  request: AttachRequest,
): Promise<ExecSession> {
  const input = attachInput(target, request.stdin);
  const { process: running } = target;
  const tty = target.spec.tty === true;
  const isFirst = running.stdio?.beginAttach() ?? false;
  // kubectl run attaches right after the start: the first attach of a stdinOnce container also
  // gets what was written before it, so a quick command's output is not lost.
  const withReplay = isFirst && target.spec.stdinOnce === true;
  let ending: ((exit: ExecExit) => void) | undefined;
  const exit = new Promise<ExecExit>((resolve) => (ending = resolve));
  const outputs = await openOutputs(
    running,
    { ...request, stderr: request.stderr && !tty },
    withReplay,
  );
  let isOver = false;
  const end = (how: 'exit' | 'detach', exitCode = 0): void => {
    if (isOver) {
      return;
    }
    isOver = true;
    void outputs.stop(how === 'exit').then(() => ending?.({ exitCode }));
  };
  void running.wait().then((e) => end('exit', e.exitCode ?? 0));
  const ready = new ClientReady(CLIENT_READY_MS);
  return {
    stdin: input ? sessionInput(input, tty, ready, () => end('detach')) : undefined,
    stdout: ready.hold(outputs.stdout),
    stderr: ready.hold(outputs.stderr),
    resize: tty
      ? (size) => {
          ready.open();
          running.stdio?.resize(size);
        }
      : undefined,
    exit,
    abort: () => end('detach'),
  };
}

/**
 * The client's input. When it ends: stdinOnce (no terminal) closes the container's stdin and
 * the session goes on until the container exits; otherwise the session ends, as containerd does.
 */
function sessionInput(
  stdio: ContainerStdio,
  tty: boolean,
  ready: ClientReady,
  detach: () => void,
): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      ready.open();
      stdio.write(chunk, () => callback());
    },
    final(callback): void {
      if (stdio.stdinOnce && !tty) {
        stdio.closeStdin();
      } else {
        detach();
      }
      callback();
    },
  });
}

interface Outputs {
  stdout?: Readable;
  stderr?: Readable;
  /** Ends both outputs; with `drain`, after everything the container wrote. */
  stop(drain: boolean): Promise<void>;
}

async function openOutputs(
  running: RunningContainer,
  want: { stdout: boolean; stderr: boolean },
  withReplay: boolean,
): Promise<Outputs> {
  const terminal = running.stdio?.tty ? running.stdio : undefined;
  if (terminal) {
    return terminalOutput(terminal, want.stdout, withReplay);
  }
  const paths = rawOutputPaths(running.logPath);
  const tails: OutputTail[] = [];
  const follow = async (file: string): Promise<Readable> => {
    const stream = new PassThrough();
    const tail = new OutputTail(file, stream, withReplay ? 0 : await fileSize(file));
    tails.push(tail);
    return stream;
  };
  const stdout = want.stdout ? await follow(paths.stdout) : undefined;
  const stderr = want.stderr ? await follow(paths.stderr) : undefined;
  for (const tail of tails) {
    tail.start();
  }
  return {
    stdout,
    stderr,
    stop: async (drain) => {
      await Promise.all(tails.map((t) => t.stop(drain)));
    },
  };
}

function terminalOutput(stdio: ContainerStdio, wanted: boolean, withReplay: boolean): Outputs {
  if (!wanted) {
    return { stop: () => Promise.resolve() };
  }
  const stdout = new PassThrough();
  const unsubscribe = stdio.subscribe((chunk) => stdout.write(chunk), withReplay);
  return {
    stdout,
    stop: async (drain) => {
      if (drain) {
        await stdio.outputEnded();
      }
      unsubscribe();
      stdout.end();
    },
  };
}

/** Holds output back until the client is ready for it (see CLIENT_READY_MS). */
export class ClientReady {
  private readonly opened: Promise<void>;
  private release: () => void = () => undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(waitMs: number) {
    this.opened = new Promise((resolve) => (this.release = resolve));
    this.timer = setTimeout(() => this.open(), waitMs);
  }

  open(): void {
    clearTimeout(this.timer);
    this.release();
  }

  /** A stream that gives what `source` gives, starting once the client is ready. */
  hold(source: Readable | undefined): Readable | undefined {
    if (!source) {
      return undefined;
    }
    const held = new PassThrough();
    source.on('error', (err) => held.destroy(err));
    void this.opened.then(() => source.pipe(held));
    return held;
  }
}
