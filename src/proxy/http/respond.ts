// The proxy's own answers: one line of plain text, as ingress-nginx's default backend gives.
import { STATUS_CODES } from 'node:http';
import type { ClientExchange } from './client-exchange.js';

/** Sends status with a one-line text body, unless the response already started. */
export function sendText(
  ex: ClientExchange,
  status: number,
  text: string,
  headers: readonly string[] = [],
): void {
  if (ex.headersSent || ex.isClosed) {
    ex.destroy();
    return;
  }
  const body = Buffer.from(`${text}\n`);
  ex.writeHead(status, STATUS_CODES[status] ?? 'Unknown', [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(body.length),
    ...headers,
  ]);
  ex.write(body);
  ex.end();
}
