// HTTP/1.x requests from a client, parsed by llhttp (./llhttp.ts) in strict mode, as node:http's
// server parses them: the same limits (16 KiB of head), the same rejections (bad methods,
// CR/LF in values, Content-Length with chunked), without the objects node:http builds around it.
import { HTTPParser, METHODS } from './llhttp.js';
import type { LlhttpError } from './llhttp.js';

/** One request's head as the client sent it. */
export interface RequestHead {
  method: string;
  /** The request target (origin form for requests to the ingress). */
  url: string;
  /** [name, value, ...] as received. */
  rawHeaders: string[];
  /** HTTP/1.x minor version: 0 or 1. */
  httpMinor: number;
  /** The connection may carry another request after this one (RFC 9112 9.3). */
  isKeepAlive: boolean;
  /** `Connection: upgrade` with `Upgrade`, or CONNECT: the bytes that follow are not HTTP. */
  isUpgrade: boolean;
  /** Content-Length > 0 or Transfer-Encoding: body events follow. */
  hasBody: boolean;
  /** The first Host header's value (the URI's authority for absolute-form). */
  host: string | undefined;
  /** How many Host headers came (more than one is refused). */
  hostCount: number;
}

export interface RequestEvents {
  head(head: RequestHead): void;
  body(chunk: Buffer): void;
  complete(): void;
}

/** What the ingress needs of a head's fields, in one pass: its body (RFC 9112 6.3) and Host. */
export function headFacts(raw: readonly string[]): {
  hasBody: boolean;
  host: string | undefined;
  hostCount: number;
} {
  let hasBody = false;
  let host: string | undefined;
  let hostCount = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 4 && name.toLowerCase() === 'host') {
      host ??= raw[i + 1] ?? '';
      hostCount++;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      hasBody = true;
    } else if (name.length === 14 && name.toLowerCase() === 'content-length') {
      hasBody ||= raw[i + 1] !== '0';
    }
  }
  return { hasBody, host, hostCount };
}

/**
 * A request in absolute form (`GET http://shop.test/cart HTTP/1.1`, as clients send through an
 * HTTP proxy: `curl -x`) made origin-form: the URI's authority becomes the Host (RFC 9112
 * 3.2.2: it overrides any Host header), the path and query the target. Others are unchanged.
 */
export function toOriginForm(
  url: string,
  rawHeaders: string[],
): { url: string; rawHeaders: string[] } {
  const scheme = /^https?:\/\//i.exec(url);
  if (!scheme) {
    return { url, rawHeaders };
  }
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const target = end < 0 ? '/' : rest.slice(end);
  const headers: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!(name.length === 4 && name.toLowerCase() === 'host')) {
      headers.push(name, rawHeaders[i + 1] ?? '');
    }
  }
  headers.unshift('Host', authority.slice(authority.lastIndexOf('@') + 1));
  return { url: target.startsWith('/') ? target : `/${target}`, rawHeaders: headers };
}

export class RequestParser {
  private readonly parser = new HTTPParser();
  /** Header pairs and URL parts llhttp hands over early for a large head. */
  private pendingHeaders: string[] = [];
  private pendingUrl = '';

  constructor(events: RequestEvents) {
    const p = this.parser;
    // maxHeaderSize 0: node's default (--max-http-header-size, 16 KiB).
    p.initialize(HTTPParser.REQUEST, {}, 0, HTTPParser.kLenientNone);
    p[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      this.pendingHeaders.push(...headers);
      this.pendingUrl += url;
    };
    p[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      minor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
      _status: unknown,
      _statusMessage: unknown,
      isUpgrade: boolean,
      isKeepAlive: boolean,
    ): number => {
      let rawHeaders = headers ?? [];
      if (this.pendingHeaders.length > 0) {
        rawHeaders = [...this.pendingHeaders, ...rawHeaders];
        this.pendingHeaders = [];
      }
      const target = toOriginForm(this.pendingUrl + (url ?? ''), rawHeaders);
      this.pendingUrl = '';
      rawHeaders = target.rawHeaders;
      events.head({
        method: METHODS[method] ?? 'GET',
        url: target.url,
        rawHeaders,
        httpMinor: minor,
        isKeepAlive,
        isUpgrade,
        ...headFacts(rawHeaders),
      });
      return 0;
    };
    p[HTTPParser.kOnBody] = (chunk: Buffer) => events.body(chunk);
    p[HTTPParser.kOnMessageComplete] = () => events.complete();
  }

  /**
   * Parses the next bytes; the bytes consumed (less than data's length only after an upgrade
   * head: the rest belongs to the upgraded protocol), or an Error for a malformed request.
   */
  execute(data: Buffer): number | LlhttpError {
    return this.parser.execute(data);
  }

  close(): void {
    this.parser.close();
  }
}
