// Node socket errors spelled as Go's net package spells them, since probe messages are Go error
// strings: `dial tcp 127.0.0.1:8080: connect: connection refused`, `read tcp a->b: read: ...`.
import { joinHostPort } from './port.js';

/** Linux strerror texts Go prints for the errno codes a probe can meet. */
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EPIPE: 'broken pipe',
  EHOSTDOWN: 'host is down',
  ENETDOWN: 'network is down',
};

interface NodeNetError {
  code?: string;
  syscall?: string;
  hostname?: string;
  address?: string;
  port?: number;
  message?: string;
}

function asNetError(err: unknown): NodeNetError {
  return typeof err === 'object' && err !== null ? err : { message: String(err) };
}

/** The error of a failed connect: `dial tcp <addr>: connect: <errno text>`. */
export function dialError(err: unknown, hostPort: string): string {
  const e = asNetError(err);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.syscall === 'getaddrinfo') {
    const host = e.hostname ?? hostPort;
    const why = e.code === 'ENOTFOUND' ? 'no such host' : 'server misbehaving';
    return `dial tcp: lookup ${host}: ${why}`;
  }
  // Go names the address it dialled, a host name resolved.
  const addr =
    e.address !== undefined && e.port !== undefined ? joinHostPort(e.address, e.port) : hostPort;
  const text = e.code !== undefined ? ERRNO_TEXT[e.code] : undefined;
  if (text !== undefined) {
    return `dial tcp ${addr}: ${e.syscall ?? 'connect'}: ${text}`;
  }
  return `dial tcp ${addr}: ${e.message ?? String(err)}`;
}

/** The error of an established connection: a reset, or EOF when the peer hung up early. */
export function connError(err: unknown, local: string, remote: string): string {
  const e = asNetError(err);
  const text = e.code !== undefined ? ERRNO_TEXT[e.code] : undefined;
  if (text !== undefined && e.syscall !== undefined) {
    const op = e.syscall === 'write' ? 'write' : 'read';
    return `${op} tcp ${local}->${remote}: ${op}: ${text}`;
  }
  // Node's "socket hang up": the server closed the connection before answering.
  if (e.code === 'ECONNRESET') {
    return 'EOF';
  }
  // OpenSSL's reading of a plain HTTP answer to a ClientHello.
  if (e.message?.includes('wrong version number') === true) {
    return 'http: server gave HTTP response to HTTPS client';
  }
  if (e.code?.startsWith('HPE_') === true) {
    return `net/http: HTTP/1.x transport connection broken: malformed HTTP response`;
  }
  return e.message ?? String(err);
}
