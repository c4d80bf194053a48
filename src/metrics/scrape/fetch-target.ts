// One HTTP scrape of a /metrics endpoint, bounded in time (the scrape timeout covers connect,
// headers and the whole body) and in size (the body is read in chunks and cut at the limit), so a
// slow, endless or huge endpoint costs at most its timeout and the limit in memory.

/** Prometheus' Accept header for the text format. */
const ACCEPT = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

/** A scrape that failed; `message` reads like Prometheus' target error. */
export class ScrapeError extends Error {
  constructor(
    message: string,
    readonly code: 'TIMEOUT' | 'TOO_LARGE' | 'HTTP_STATUS' | 'CONNECT',
  ) {
    super(message);
  }
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the stream, so the rest of a huge body is never read.
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new ScrapeError(`body size limit exceeded (more than ${maxBytes} bytes)`, 'TOO_LARGE');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url` and returns its body; rejects with a ScrapeError on timeout, size, status or I/O. */
export async function fetchMetrics(url: string, limits: FetchLimits): Promise<string> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  try {
    const res = await fetch(url, { headers: { Accept: ACCEPT }, signal, redirect: 'follow' });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ScrapeError(
        `server returned HTTP status ${res.status} ${res.statusText}`.trimEnd(),
        'HTTP_STATUS',
      );
    }
    return await readCapped(res, limits.maxBytes);
  } catch (e) {
    if (e instanceof ScrapeError) {
      throw e;
    }
    if (timeout.aborted) {
      throw new ScrapeError(
        `Get "${url}": context deadline exceeded (timeout ${limits.timeoutMs} ms)`,
        'TIMEOUT',
      );
    }
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new ScrapeError(`Get "${url}": ${why}`, 'CONNECT');
  }
}
