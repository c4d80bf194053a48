// Headers across the proxy: hop-by-hop ones are dropped (RFC 9110 7.6.1, plus those named in
// Connection), X-Forwarded-For/-Host/-Port/-Proto, X-Real-IP and X-Request-ID are added.
import { randomFillSync, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // The proxy answers 100-continue itself; the body follows without waiting.
  'expect',
]);

export interface ForwardedInfo {
  clientIp: string;
  proto: 'http' | 'https';
  port: number;
  /** Where new request ids come from (default: newRequestId()). */
  ids?: RequestIds;
}

/** Lower-cased names the Connection header lists (they are hop-by-hop too); undefined for none. */
function connectionTokens(raw: string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    // Most requests carry no Connection header at all: compare lengths before lower-casing.
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      tokens ??= new Set();
      for (const t of (raw[i + 1] ?? '').split(',')) {
        tokens.add(t.trim().toLowerCase());
      }
    }
  }
  return tokens;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * rawHeaders ([name, value, ...]) without hop-by-hop entries and without those in drop;
 * keep names hop-by-hop ones to pass on anyway (Connection and Upgrade of an upgrade).
 */
export function endToEnd(
  raw: string[],
  keep: ReadonlySet<string> = NONE,
  drop: ReadonlySet<string> = NONE,
): string[] {
  const listed = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const lower = name.toLowerCase();
    if (drop.has(lower)) {
      continue;
    }
    if (keep.has(lower) || (!HOP_BY_HOP.has(lower) && listed?.has(lower) !== true)) {
      out.push(name, raw[i + 1] ?? '');
    }
  }
  return out;
}

const FORWARDED = new Set([
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
]);

const UPGRADE_KEEP: ReadonlySet<string> = new Set(['connection', 'upgrade']);

/** 32 hex digits, as ingress-nginx's $req_id (randomUUID draws from a pooled entropy buffer). */
export function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}

const ID_BYTES = 16;
const IDS_PER_FILL = 256;

/** Request ids like newRequestId(), each one hex slice of a random buffer refilled as used up. */
export class RequestIds {
  private readonly pool = Buffer.allocUnsafe(ID_BYTES * IDS_PER_FILL);
  private offset = this.pool.length;

  next(): string {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const id = this.pool.toString('hex', this.offset, this.offset + ID_BYTES);
    this.offset += ID_BYTES;
    return id;
  }
}

/**
 * Request headers for the backend: end-to-end ones, then the forwarding headers (X-Forwarded-For
 * appends the client to any list it already carries). Upgrade requests keep Connection/Upgrade.
 */
export function upstreamHeaders(
  req: IncomingMessage,
  info: ForwardedInfo,
  isUpgrade = false,
): { headers: string[]; requestId: string } {
  const headers = endToEnd(req.rawHeaders, isUpgrade ? UPGRADE_KEEP : NONE, FORWARDED);
  const prior = req.headers['x-forwarded-for'];
  const xff = prior
    ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${info.clientIp}`
    : info.clientIp;
  const existingId = req.headers['x-request-id'];
  const requestId =
    typeof existingId === 'string' && existingId
      ? existingId
      : (info.ids?.next() ?? newRequestId());
  headers.push(
    'X-Forwarded-For',
    xff,
    'X-Forwarded-Host',
    req.headers.host ?? '',
    'X-Forwarded-Port',
    String(info.port),
    'X-Forwarded-Proto',
    info.proto,
    'X-Real-IP',
    info.clientIp,
  );
  if (existingId === undefined) {
    headers.push('X-Request-ID', requestId);
  }
  return { headers, requestId };
}

/** The client's address without the IPv4-mapped IPv6 prefix. */
export function clientIpOf(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
