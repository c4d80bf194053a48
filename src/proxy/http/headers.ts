// Headers across the proxy: hop-by-hop ones are dropped (RFC 9110 7.6.1, plus those named in
// Connection), X-Forwarded-For/-Host/-Port/-Proto, X-Real-IP and X-Request-ID are added.
import { randomFillSync, randomUUID } from 'node:crypto';

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
function connectionTokens(raw: readonly string[]): Set<string> | undefined {
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

/** The first value of a header (name in lower case), as node's req.headers keeps Host. */
export function firstHeader(raw: readonly string[], lowerName: string): string | undefined {
  const length = lowerName.length;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === length && name.toLowerCase() === lowerName) {
      return raw[i + 1] ?? '';
    }
  }
  return undefined;
}

/**
 * Request headers for the backend, from the client's ([name, value, ...]) in one pass: end-to-end
 * ones, then the forwarding headers (X-Forwarded-For appends the client to any list it already
 * carries). Upgrade requests keep Connection/Upgrade. An X-Request-ID the client sent is kept.
 */
export function upstreamHeaders(
  raw: readonly string[],
  info: ForwardedInfo,
  isUpgrade = false,
): { headers: string[]; requestId: string } {
  const seen = passedHeaders(raw, isUpgrade ? UPGRADE_KEEP : NONE);
  const { headers, prior, existingId } = seen;
  const requestId = existingId || (info.ids?.next() ?? newRequestId());
  headers.push(
    'X-Forwarded-For',
    prior ? `${prior}, ${info.clientIp}` : info.clientIp,
    'X-Forwarded-Host',
    seen.host,
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

/** The end-to-end headers, and the values the forwarding headers build on. */
function passedHeaders(
  raw: readonly string[],
  keep: ReadonlySet<string>,
): { headers: string[]; host: string; prior?: string; existingId?: string } {
  const listed = connectionTokens(raw);
  const headers: string[] = [];
  let host: string | undefined;
  let prior: string | undefined;
  let existingId: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    const lower = name.toLowerCase();
    if (FORWARDED.has(lower)) {
      if (lower === 'x-forwarded-for') {
        prior = prior === undefined ? value : `${prior}, ${value}`;
      }
      continue;
    }
    if (lower === 'host') {
      host ??= value;
    } else if (lower === 'x-request-id') {
      existingId = existingId === undefined ? value : `${existingId}, ${value}`;
    }
    if (keep.has(lower) || (!HOP_BY_HOP.has(lower) && listed?.has(lower) !== true)) {
      headers.push(name, value);
    }
  }
  return { headers, host: host ?? '', prior, existingId };
}

/** The client's address without the IPv4-mapped IPv6 prefix. */
export function clientIpOf(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
