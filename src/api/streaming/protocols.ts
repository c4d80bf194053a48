// Subprotocol names and negotiation for exec/attach/port-forward upgrades (WebSocket and SPDY),
// following apimachinery's httpstream.Handshake and wsstream's handshake.
import type { IncomingMessage } from 'node:http';

/** remotecommand protocol versions (k8s.io/apimachinery/pkg/util/remotecommand). */
export const STREAM_V1 = 'channel.k8s.io';
export const STREAM_V2 = 'v2.channel.k8s.io';
export const STREAM_V3 = 'v3.channel.k8s.io';
export const STREAM_V4 = 'v4.channel.k8s.io';
export const STREAM_V5 = 'v5.channel.k8s.io';
export const PORT_FORWARD_V1 = 'portforward.k8s.io';
/** The WebSocket subprotocol that carries SPDY for port-forward (kubectl 1.31+). */
export const TUNNELED_PORT_FORWARD = `SPDY/3.1+${PORT_FORWARD_V1}`;

/** SPDY exec/attach versions we speak; v5 over SPDY is v4 (its close signal is WebSocket-only). */
export const SPDY_EXEC_PROTOCOLS = [STREAM_V5, STREAM_V4, STREAM_V3, STREAM_V2, STREAM_V1];
export const SPDY_PORT_FORWARD_PROTOCOLS = [PORT_FORWARD_V1];

/** How channel frames are encoded on a WebSocket exec connection. */
export interface WebSocketChannelProtocol {
  name: string;
  /** base64 protocols send text frames: '0'+channel, then the base64 payload. */
  base64: boolean;
  /** v4+: the error channel carries a JSON Status; older ones carry only a failure's message. */
  jsonStatus: boolean;
  /** v5: a [255, channel] frame half-closes a channel. */
  closeSignal: boolean;
}

const WEBSOCKET_EXEC: WebSocketChannelProtocol[] = [
  { name: STREAM_V5, base64: false, jsonStatus: true, closeSignal: true },
  { name: STREAM_V4, base64: false, jsonStatus: true, closeSignal: false },
  { name: `v4.base64.${STREAM_V1}`, base64: true, jsonStatus: true, closeSignal: false },
  { name: STREAM_V1, base64: false, jsonStatus: false, closeSignal: false },
  { name: `base64.${STREAM_V1}`, base64: true, jsonStatus: false, closeSignal: false },
];

/** The values of a header that may be repeated or comma-joined (Node joins repeats with ", "). */
export function headerList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** True for `Upgrade: websocket` with `Connection: ... upgrade ...`. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  return (
    (req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    headerList(req.headers.connection).some((v) => v.toLowerCase() === 'upgrade')
  );
}

/** True for an `Upgrade: SPDY/3.1` request. */
export function isSpdyRequest(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

/**
 * The WebSocket channel protocol for exec/attach: the first the client offers that we speak
 * (the client's order wins, as in wsstream). No offer at all means plain `channel.k8s.io`.
 */
export function negotiateWebSocketExec(offered: string[]): WebSocketChannelProtocol | undefined {
  if (offered.length === 0) {
    return { ...(WEBSOCKET_EXEC[3] as WebSocketChannelProtocol), name: '' };
  }
  for (const name of offered) {
    const found = WEBSOCKET_EXEC.find((p) => p.name === name);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** Every WebSocket exec subprotocol we accept, for error messages. */
export function webSocketExecProtocols(): string[] {
  return WEBSOCKET_EXEC.map((p) => p.name);
}

/** The outcome of X-Stream-Protocol-Version negotiation. */
export type SpdyNegotiation = { protocol: string } | { error: string };

/**
 * httpstream.Handshake: the first protocol in the client's order that the server supports. No
 * header at all is a pre-negotiation client, which gets the oldest protocol.
 */
export function negotiateSpdy(offered: string[], supported: string[]): SpdyNegotiation {
  if (offered.length === 0) {
    return { protocol: supported[supported.length - 1] ?? '' };
  }
  const protocol = offered.find((p) => supported.includes(p));
  if (protocol === undefined) {
    return {
      error: `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`,
    };
  }
  return { protocol };
}

/** The SPDY protocols a client asks for through the tunnelling WebSocket subprotocols. */
export function tunneledSpdyProtocols(offered: string[]): string[] {
  return offered
    .filter((p) => p.startsWith('SPDY/3.1+') && p.endsWith('.k8s.io'))
    .map((p) => p.slice('SPDY/3.1+'.length));
}

/** Does a SPDY exec protocol carry a JSON Status on the error stream? (v4 and later) */
export function spdyJsonStatus(protocol: string): boolean {
  return protocol === STREAM_V4 || protocol === STREAM_V5;
}

/** Does a SPDY exec protocol have a resize stream? (v3 and later) */
export function spdyResize(protocol: string): boolean {
  return protocol === STREAM_V3 || spdyJsonStatus(protocol);
}
