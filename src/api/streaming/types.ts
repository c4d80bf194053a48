// The contract between the streaming protocol layer (exec, attach, port-forward, logs) and
// whatever runs pods: the API server supplies a route, the node agent's runtime the sessions.
import type { Duplex, Readable, Writable } from 'node:stream';
import type { ApiError } from '../../lib/errors.js';

/** The subresources served over an upgraded connection. */
export type StreamingVerb = 'exec' | 'attach' | 'portforward';

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

/** The request the API server routes, before any upgrade. */
export interface StreamTarget {
  verb: StreamingVerb;
  namespace: string;
  pod: string;
  /** The parsed exec/attach request; absent for portforward. */
  exec?: ExecRequest;
  query: URLSearchParams;
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

/**
 * Supplied by the API server: checks the pod (exists, has the container, is running) and returns
 * the backend, or an ApiError (resolved or thrown) that is answered as a Status before upgrading.
 */
export type StreamRoute = (target: StreamTarget) => Promise<StreamBackend | ApiError>;

/** The few logger methods the streaming layer uses (a pino Logger fits). */
export interface StreamingLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Options of handleStreamingUpgrade. */
export interface StreamingOptions {
  route: StreamRoute;
  log: StreamingLog;
  /** Ends every open session (server shutdown): upgraded sockets outlive http.Server#close. */
  signal?: AbortSignal;
  /** How long a SPDY client gets to open its streams (upstream: 30 s). */
  streamCreationTimeoutMs?: number;
}
