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

const CHUNK_BYTES = 64 * 1024;

/**
 * Sends `{...head, [arrayKey]: items}` as a chunked stream, encoding items a batch at a time and
 * waiting for the socket to drain: a 10,000-item list never exists as one string in memory.
 */
export async function sendJsonStreamed(
  res: ServerResponse,
  code: number,
  head: Record<string, unknown>,
  arrayKey: string,
  items: readonly unknown[],
  opts: { warnings?: string[]; encode?: (item: unknown) => unknown } = {},
): Promise<void> {
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  };
  if (opts.warnings && opts.warnings.length > 0) {
    headers.Warning = warningHeaders(opts.warnings);
  }
  res.writeHead(code, headers);
  const headJson = JSON.stringify(head);
  let chunk = `${headJson.slice(0, -1)}${headJson.length > 2 ? ',' : ''}${JSON.stringify(arrayKey)}:[`;
  for (let i = 0; i < items.length; i++) {
    const item = opts.encode ? opts.encode(items[i]) : items[i];
    chunk += (i > 0 ? ',' : '') + JSON.stringify(item);
    if (chunk.length >= CHUNK_BYTES) {
      if (!res.write(chunk)) {
        await drained(res);
      }
      chunk = '';
      if (res.destroyed) {
        return;
      }
    }
  }
  res.end(`${chunk}]}`);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
