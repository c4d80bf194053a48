// The contract between the API's streaming endpoints (pods/log, exec, attach, port-forward) and
// the node agent that serves them: requests, sessions and log sources, free of HTTP and processes.
import type { Duplex, Readable, Writable } from 'node:stream';

/** A terminal size as kubectl reports it (columns and rows). */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * What to run (exec) or join (attach). `command` is empty for attach. With `tty`, `stderr` is
 * always false: the terminal carries both outputs, as upstream does.
 */
export interface ExecRequest {
  namespace: string;
  pod: string;
  /** As the client sent it, or as the route resolved it; '' when neither named one. */
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** How a session ended: an exit code, or a failure to run or attach at all. */
export type ExecExit = { exitCode: number } | { error: string };

/**
 * One running exec or attach, as a runtime provides it. A child_process maps onto it directly
 * (`child.stdin`, `child.stdout`, `child.stderr`). For `tty`, the runtime allocates a
 * pseudo-terminal (node-pty or similar), exposes its output as `stdout`, its input as `stdin`,
 * and implements `resize` with the pty's resize (width = columns, height = rows); kubectl sends
 * the first size right after connecting.
 */
export interface ExecSession {
  /** The process's input; given whenever the request asked for stdin. Ended when the client closes its stdin. */
  stdin?: Writable;
  /** The process's output; must end once the process and everything holding the pipe are done. */
  stdout?: Readable;
  stderr?: Readable;
  /** Terminal size changes (tty sessions only). */
  resize?(size: TerminalSize): void;
  /**
   * Settles when the process has exited. The status goes to the client only after this AND the
   * end of stdout and stderr, so no output is lost. A process killed by a signal is
   * `{ error: 'signal: killed' }` (upstream's wording), not an exit code.
   */
  exit: Promise<ExecExit>;
  /** The client went away before the process exited: end it (a terminal hang-up). */
  abort(): void;
}

/** Opens TCP connections to a pod's ports (`kubectl port-forward`). */
export interface PortForwarder {
  /** Connects to `port` in the pod; rejects with a message the client will print. */
  dial(namespace: string, pod: string, port: number): Promise<Duplex>;
}

/** What the route hands back when the pod can be streamed to. */
export interface StreamBackend {
  /** Replaces the request's container, e.g. the pod's only container when none was named. */
  container?: string;
  /** The pod's UID, for port-forward error messages. */
  uid?: string;
  exec?: (request: ExecRequest) => Promise<ExecSession>;
  attach?: (request: ExecRequest) => Promise<ExecSession>;
  portForward?: PortForwarder;
}

/** The options of one log request. `since` is sinceTime, or now minus sinceSeconds. */
export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
  since?: Date;
  limitBytes?: number;
}

/**
 * Where log text comes from (the node agent). It yields text already shaped by the options
 * (tail, since, timestamps, previous: see selectLogLines and formatLogLine) and, with `follow`,
 * keeps yielding until the container stops. It must stop waiting when `signal` aborts (the
 * client went away). It may reject before yielding, e.g. with a 400 ApiError for a missing
 * previous container; that becomes the response's Status.
 */
export interface LogSource {
  read(
    opts: PodLogOptions,
    signal: AbortSignal,
  ): AsyncIterable<Buffer | string> | Promise<AsyncIterable<Buffer | string>>;
}

/** A pod as the backend needs it. */
export interface PodIdentity {
  metadata: { name?: string; namespace?: string; uid?: string };
}

/** What the node agent offers for a pod bound to it (the API checks pod and container first). */
export interface PodNodeBackend {
  /** The log of one container; throws an ApiError (e.g. waiting to start) before any byte. */
  logs(pod: PodIdentity, container: string, previous: boolean): LogSource;
  /** exec / attach / port-forward for one pod. */
  stream(pod: PodIdentity, container: string): StreamBackend;
}
