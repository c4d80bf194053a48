// The contract between the streaming protocol layer (exec, attach, port-forward, logs) and
// whatever runs pods: the API server supplies a route, the node agent's runtime the sessions.
import type { ApiError } from '../../lib/errors.js';
import type { ExecRequest, StreamBackend } from '../../lib/pod-streams.js';

export type {
  ExecExit,
  ExecRequest,
  ExecSession,
  PortForwarder,
  StreamBackend,
  TerminalSize,
} from '../../lib/pod-streams.js';

/** The subresources served over an upgraded connection. */
export type StreamingVerb = 'exec' | 'attach' | 'portforward';

/** The request the API server routes, before any upgrade. */
export interface StreamTarget {
  verb: StreamingVerb;
  namespace: string;
  pod: string;
  /** The parsed exec/attach request; absent for portforward. */
  exec?: ExecRequest;
  query: URLSearchParams;
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
