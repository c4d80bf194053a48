// HTTP/1.1 responses from a backend, parsed by llhttp (./llhttp.ts). Strict
// mode: duplicate Content-Length, Content-Length with chunked, bad chunk sizes and the like are
// errors, so one connection's responses can never bleed into the next.
import { HTTPParser } from './llhttp.js';

/** What a response's parse reports, in order: head, body chunks, complete (per message). */
export interface ResponseEvents {
  /** The head; returns true when the message has no body to read (HEAD, 1xx, 204, 304). */
  head(status: number, statusMessage: string, rawHeaders: string[], isKeepAlive: boolean): boolean;
  body(chunk: Buffer): void;
  complete(): void;
}

export class ResponseParser {
  private readonly parser = new HTTPParser();
  /** Header pairs llhttp hands over early when a head has many (more than 32 pairs). */
  private pending: string[] = [];

  constructor(events: ResponseEvents) {
    const p = this.parser;
    // maxHeaderSize 0: node's default (--max-http-header-size, 16 KiB).
    p.initialize(HTTPParser.RESPONSE, {}, 0, HTTPParser.kLenientNone);
    p[HTTPParser.kOnHeaders] = (headers: string[]) => {
      this.pending.push(...headers);
    };
    p[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      _method: unknown,
      _url: unknown,
      status: number,
      statusMessage: string,
      _isUpgrade: boolean,
      isKeepAlive: boolean,
    ): number => {
      let raw = headers ?? [];
      if (this.pending.length > 0) {
        raw = [...this.pending, ...raw];
        this.pending = [];
      }
      // 1: skip the body (llhttp then expects the next message on the connection).
      return events.head(status, statusMessage, raw, isKeepAlive) ? 1 : 0;
    };
    p[HTTPParser.kOnBody] = (chunk: Buffer) => events.body(chunk);
    p[HTTPParser.kOnMessageComplete] = () => events.complete();
  }

  /** Parses the next bytes from the backend; an Error for a malformed response. */
  execute(data: Buffer): Error | undefined {
    const result = this.parser.execute(data);
    return result instanceof Error ? result : undefined;
  }

  /** The connection ended: completes a body delimited by the close, or says what was cut. */
  finish(): Error | undefined {
    return this.parser.finish();
  }

  close(): void {
    this.parser.close();
  }
}
