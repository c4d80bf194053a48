// The http server's 'upgrade' handler for pods/exec, pods/attach and pods/portforward: route
// (errors become a Status before switching), negotiate WebSocket or SPDY/3.1, then serve.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ApiError, internalError } from '../../lib/errors.js';
import { servePortForward } from './port-forward.js';
import {
  SPDY_EXEC_PROTOCOLS,
  SPDY_PORT_FORWARD_PROTOCOLS,
  TUNNELED_PORT_FORWARD,
  headerList,
  isSpdyRequest,
  isWebSocketRequest,
  negotiateSpdy,
  negotiateWebSocketExec,
  tunneledSpdyProtocols,
  webSocketExecProtocols,
} from './protocols.js';
import { parseExecRequest, parseStreamingPath, validateExecRequest } from './request.js';
import type { StreamingPath } from './request.js';
import { serveSpdyExec } from './spdy-exec.js';
import { rejectUpgrade, rejectUpgradeText, upgradeRequired } from './status.js';
import type { ExecRequest, StreamBackend, StreamingOptions } from './types.js';
import { serveWebSocketExec } from './websocket-exec.js';
import { WebSocketTunnel } from './websocket-tunnel.js';

const DEFAULT_STREAM_CREATION_TIMEOUT_MS = 30_000;

/**
 * Serves an upgrade request (the node:http server's 'upgrade' event). The caller authenticates
 * first (answering a failure with rejectUpgrade). Paths other than a pod's exec, attach or
 * portforward are answered 404.
 */
export function handleStreamingUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: StreamingOptions,
): void {
  const conn: Connection = { req, socket, head, state: { switched: false } };
  socket.on('error', (err) => opts.log.debug({ err }, 'streaming connection'));
  serveUpgrade(conn, opts).catch((e: unknown) => {
    if (conn.state.switched) {
      opts.log.warn({ err: e, url: req.url }, 'streaming session failed');
      socket.destroy();
    } else if (e instanceof ApiError) {
      rejectUpgrade(socket, e);
    } else {
      opts.log.warn({ err: e, url: req.url }, 'streaming upgrade failed');
      rejectUpgrade(socket, internalError());
    }
  });
}

interface Connection {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  state: { switched: boolean };
}

async function serveUpgrade(conn: Connection, opts: StreamingOptions): Promise<void> {
  const { path, websocket } = checkUpgrade(conn.req, opts.signal);
  const exec = path.verb === 'portforward' ? undefined : parseExecRequest(path);
  const backend = await opts.route({ ...path, exec });
  if (backend instanceof ApiError) {
    throw backend;
  }
  if (exec) {
    exec.container = backend.container ?? exec.container;
    validateExecRequest(exec);
  }
  endOnShutdown(conn.socket, opts.signal);
  const serve: Serve = { ...conn, path, backend, opts };
  if (exec) {
    return websocket ? webSocketExec(serve, exec) : spdyExec(serve, exec);
  }
  return websocket ? webSocketPortForward(serve) : spdyPortForward(serve);
}

/** The checks made before routing: a streaming path, a method, an upgrade we speak. */
function checkUpgrade(
  req: IncomingMessage,
  signal: AbortSignal | undefined,
): { path: StreamingPath; websocket: boolean } {
  const path = parseStreamingPath(req.url ?? '/');
  if (!path) {
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const websocket = isWebSocketRequest(req);
  if (!websocket && !isSpdyRequest(req)) {
    throw upgradeRequired();
  }
  if (signal?.aborted) {
    throw new ApiError(503, 'ServiceUnavailable', 'the API server is shutting down');
  }
  return { path, websocket };
}

interface Serve extends Connection {
  path: StreamingPath;
  backend: StreamBackend;
  opts: StreamingOptions;
}

function sessionStarter(serve: Serve): NonNullable<StreamBackend['exec']> {
  const { verb, pod } = serve.path;
  const start = verb === 'attach' ? serve.backend.attach : serve.backend.exec;
  if (!start) {
    throw new ApiError(503, 'ServiceUnavailable', `pods/${verb} is not available for pod "${pod}"`);
  }
  return start;
}

async function webSocketExec(serve: Serve, exec: ExecRequest): Promise<void> {
  const start = sessionStarter(serve);
  const offered = headerList(serve.req.headers['sec-websocket-protocol']);
  const protocol = negotiateWebSocketExec(offered);
  if (!protocol) {
    return rejectUpgradeText(
      serve.socket,
      403,
      `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${webSocketExecProtocols().join(' ')}]`,
    );
  }
  const ws = await acceptWebSocket(serve, protocol.name);
  const verb = serve.path.verb === 'attach' ? 'attach' : 'exec';
  return serveWebSocketExec(ws, protocol, exec, { verb, start, log: serve.opts.log });
}

async function spdyExec(serve: Serve, exec: ExecRequest): Promise<void> {
  const start = sessionStarter(serve);
  const protocol = switchToSpdy(serve, SPDY_EXEC_PROTOCOLS);
  if (protocol === undefined) {
    return;
  }
  const verb = serve.path.verb === 'attach' ? 'attach' : 'exec';
  return serveSpdyExec(serve.socket, exec, {
    verb,
    start,
    log: serve.opts.log,
    protocol,
    streamCreationTimeoutMs: creationTimeout(serve.opts),
  });
}

async function webSocketPortForward(serve: Serve): Promise<void> {
  const forwarder = portForwarder(serve);
  const offered = headerList(serve.req.headers['sec-websocket-protocol']);
  const spdyProtocols = tunneledSpdyProtocols(offered);
  if (spdyProtocols.length === 0) {
    return rejectUpgradeText(
      serve.socket,
      400,
      'unable to upgrade: no tunneling spdy protocols provided',
    );
  }
  const negotiated = negotiateSpdy(spdyProtocols, SPDY_PORT_FORWARD_PROTOCOLS);
  if ('error' in negotiated) {
    return rejectUpgradeText(serve.socket, 403, negotiated.error);
  }
  const ws = await acceptWebSocket(serve, TUNNELED_PORT_FORWARD);
  return servePortForward(new WebSocketTunnel(ws), portForwardOptions(serve, forwarder));
}

function spdyPortForward(serve: Serve): Promise<void> {
  const forwarder = portForwarder(serve);
  if (switchToSpdy(serve, SPDY_PORT_FORWARD_PROTOCOLS) === undefined) {
    return Promise.resolve();
  }
  return servePortForward(serve.socket, portForwardOptions(serve, forwarder));
}

function portForwarder(serve: Serve): NonNullable<StreamBackend['portForward']> {
  const forwarder = serve.backend.portForward;
  if (!forwarder) {
    throw new ApiError(
      503,
      'ServiceUnavailable',
      `pods/portforward is not available for pod "${serve.path.pod}"`,
    );
  }
  return forwarder;
}

function portForwardOptions(
  serve: Serve,
  forwarder: NonNullable<StreamBackend['portForward']>,
): Parameters<typeof servePortForward>[1] {
  return {
    namespace: serve.path.namespace,
    pod: serve.path.pod,
    uid: serve.backend.uid ?? '',
    forwarder,
    log: serve.opts.log,
    streamCreationTimeoutMs: creationTimeout(serve.opts),
  };
}

function creationTimeout(opts: StreamingOptions): number {
  return opts.streamCreationTimeoutMs ?? DEFAULT_STREAM_CREATION_TIMEOUT_MS;
}

/**
 * Completes the WebSocket handshake with the chosen subprotocol ('' for none). ws rejects
 * `SPDY/3.1+portforward.k8s.io` as a subprotocol ('/' is not a token character) while Go's
 * clients and servers accept it, so the header is negotiated here, not by ws.
 */
function acceptWebSocket(serve: Serve, protocol: string): Promise<WebSocket> {
  const server = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
  });
  if (protocol) {
    server.on('headers', (headers: string[]) =>
      headers.push(`Sec-WebSocket-Protocol: ${protocol}`),
    );
  }
  delete serve.req.headers['sec-websocket-protocol'];
  serve.state.switched = true;
  return new Promise((resolve, reject) => {
    // ws answers a malformed handshake itself and never calls back.
    const failed = (): void => reject(new Error('the WebSocket handshake did not complete'));
    if (serve.socket.destroyed) {
      failed();
      return;
    }
    serve.socket.once('close', failed);
    server.handleUpgrade(serve.req, serve.socket, serve.head, (ws) => {
      serve.socket.off('close', failed);
      resolve(ws);
    });
  });
}

/** Negotiates X-Stream-Protocol-Version and answers 101; undefined when refused (answered). */
function switchToSpdy(serve: Serve, supported: string[]): string | undefined {
  const offered = headerList(serve.req.headers['x-stream-protocol-version']);
  const negotiated = negotiateSpdy(offered, supported);
  if ('error' in negotiated) {
    rejectUpgradeText(serve.socket, 403, negotiated.error, {
      'X-Accepted-Stream-Protocol-Versions': supported,
    });
    return undefined;
  }
  serve.state.switched = true;
  serve.socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Connection: Upgrade',
      'Upgrade: SPDY/3.1',
      `X-Stream-Protocol-Version: ${negotiated.protocol}`,
      `Date: ${new Date().toUTCString()}`,
      '',
      '',
    ].join('\r\n'),
  );
  if (serve.head.length > 0) {
    serve.socket.unshift(serve.head);
  }
  return negotiated.protocol;
}

/** Upgraded sockets outlive http.Server#close: end them when the server shuts down. */
function endOnShutdown(socket: Duplex, signal: AbortSignal | undefined): void {
  if (!signal) {
    return;
  }
  const end = (): void => {
    socket.destroy();
  };
  signal.addEventListener('abort', end, { once: true });
  socket.once('close', () => signal.removeEventListener('abort', end));
}
