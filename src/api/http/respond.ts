// Writing responses: JSON bodies, Status errors and `Warning:` headers.
import type { ServerResponse } from 'node:http';
import type { Status } from '../../lib/errors.js';

/** Sends a JSON body with status code and optional warnings. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  opts: { warnings?: string[]; contentType?: string } = {},
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': opts.contentType ?? 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (opts.warnings && opts.warnings.length > 0) {
    headers.Warning = warningHeaders(opts.warnings);
  }
  res.writeHead(code, headers);
  res.end(text);
}

/** `299 - "text"` values, deduplicated, quotes escaped as RFC 7234 requires. */
export function warningHeaders(warnings: string[]): string[] {
  return [...new Set(warnings)].map(
    (w) => `299 - "${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
}

export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status.code === 413) {
    // The rest of the body was never read: the connection cannot carry another request.
    res.setHeader('Connection', 'close');
  }
  sendJson(res, status.code, status);
}
