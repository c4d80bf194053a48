// pods/log: PodLogOptions from the query (with upstream validation), the text/plain streaming
// response (flushed at once, ended with the source, cleaned up on disconnect), and line helpers.
import type { ServerResponse } from 'node:http';
import { badRequest, invalid } from '../../lib/errors.js';
import type { FieldError } from '../../lib/errors.js';
import { queryBool } from './request.js';

export type { LogSource, PodLogOptions } from '../../lib/pod-streams.js';
import type { LogSource, PodLogOptions } from '../../lib/pod-streams.js';

/** Parses and validates the pods/log query, as LogREST does (422 PodLogOptions Invalid). */
export function parseLogOptions(query: URLSearchParams, pod: string, now: Date): PodLogOptions {
  const opts: PodLogOptions = {
    container: query.get('container') ?? '',
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    tailLines: queryInt(query, 'tailLines'),
    sinceSeconds: queryInt(query, 'sinceSeconds'),
    sinceTime: queryTime(query, 'sinceTime'),
    limitBytes: queryInt(query, 'limitBytes'),
  };
  const errors: FieldError[] = [];
  const invalidValue = (field: string, value: number, why: string): void => {
    errors.push({ type: 'FieldValueInvalid', field, detail: `Invalid value: ${value}: ${why}` });
  };
  if (opts.tailLines !== undefined && opts.tailLines < 0) {
    invalidValue('tailLines', opts.tailLines, 'must be greater than or equal to 0');
  }
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) {
    invalidValue('limitBytes', opts.limitBytes, 'must be greater than 0');
  }
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errors.push({
      type: 'FieldValueForbidden',
      field: '',
      detail: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    invalidValue('sinceSeconds', opts.sinceSeconds, 'must be greater than 0');
  }
  if (errors.length > 0) {
    throw invalid({ group: '', kind: 'PodLogOptions' }, pod, errors);
  }
  if (opts.sinceSeconds !== undefined) {
    opts.since = new Date(now.getTime() - opts.sinceSeconds * 1000);
  } else {
    opts.since = opts.sinceTime;
  }
  return opts;
}

function queryInt(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') {
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(value)) {
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return Number(value);
}

function queryTime(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (value === null || value === '') {
    return undefined;
  }
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const time = new Date(value);
  if (!rfc3339.test(value) || Number.isNaN(time.getTime())) {
    throw badRequest(
      `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as RFC3339`,
    );
  }
  return time;
}

/**
 * Streams a source as the pods/log response. Rejects, before anything is sent, when the source
 * rejects (the caller answers with a Status); a failure mid-stream also rejects, and the server's
 * error path then destroys the half-sent response. Resolves when the source ends or the client
 * disconnects (the source's signal is aborted then).
 */
export async function serveLogStream(
  res: ServerResponse,
  source: LogSource,
  opts: PodLogOptions,
): Promise<void> {
  const abort = new AbortController();
  // req 'close' fires once the request body is read; only res 'close' means the client left.
  const onClose = (): void => abort.abort();
  res.once('close', onClose);
  try {
    const chunks = await source.read(opts, abort.signal);
    if (abort.signal.aborted) {
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    await copyLog(res, chunks, opts.limitBytes, abort.signal);
    res.end();
  } finally {
    res.off('close', onClose);
    abort.abort();
  }
}

async function copyLog(
  res: ServerResponse,
  chunks: AsyncIterable<Buffer | string>,
  limitBytes: number | undefined,
  signal: AbortSignal,
): Promise<void> {
  let remaining = limitBytes ?? Number.POSITIVE_INFINITY;
  for await (const chunk of chunks) {
    if (signal.aborted) {
      return;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const part = bytes.length > remaining ? bytes.subarray(0, remaining) : bytes;
    remaining -= part.length;
    if (!res.write(part)) {
      await drained(res);
    }
    if (remaining <= 0) {
      return;
    }
  }
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

/** One line of a container's log, with its newline, as a log store keeps it. */
export interface LogLine {
  time: Date;
  text: string;
}

/** The kubelet's selection: the last tailLines lines, then only those at or after `since`. */
export function selectLogLines(
  lines: readonly LogLine[],
  opts: Pick<PodLogOptions, 'tailLines' | 'since'>,
): LogLine[] {
  const tail =
    opts.tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - opts.tailLines));
  const since = opts.since;
  return since ? tail.filter((l) => l.time.getTime() >= since.getTime()) : [...tail];
}

/** A line as sent: with `timestamps`, prefixed by its RFC 3339 time (Go's RFC3339Nano). */
export function formatLogLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${rfc3339Nano(line.time)} ${line.text}` : line.text;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
export function rfc3339Nano(time: Date): string {
  return time
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}
