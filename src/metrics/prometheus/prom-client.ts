// A small client for Prometheus' HTTP API (/api/v1/query, /api/v1/series) over Node's fetch:
// instant queries and series listing, each bounded by a timeout, errors with stable codes.
// The response shapes are Prometheus' documented JSON (docs/querying/api.md).

/** The labels of one series; `__name__` is the metric name. */
export type PromLabels = Record<string, string>;

/** One sample of an instant vector; `value` is already a number (NaN and ±Inf included). */
export interface PromSample {
  metric: PromLabels;
  /** Milliseconds since the epoch. */
  timestampMs: number;
  value: number;
}

/** An instant query's result, by Prometheus' resultType. */
export type QueryResult =
  | { type: 'vector'; vector: PromSample[] }
  | { type: 'scalar'; scalar: { timestampMs: number; value: number } }
  | { type: 'matrix' | 'string' };

export type PromErrorCode =
  'PromTimeout' | 'PromUnreachable' | 'PromBadResponse' | 'PromQueryError' | 'PromHttpError';

/** Anything that went wrong talking to Prometheus; `errorType` is Prometheus' own when it sent one. */
export class PromError extends Error {
  constructor(
    readonly code: PromErrorCode,
    message: string,
    readonly errorType?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PromError';
  }
}

export interface PromClientOptions {
  /** Prometheus' base URL, such as http://127.0.0.1:9090 (a path prefix is kept). */
  url: string;
  /** Each request's deadline (default 10 s). */
  timeoutMs?: number;
  /** Extra headers (for example Authorization for a Prometheus behind a proxy). */
  headers?: Record<string, string>;
}

interface ApiEnvelope {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
}

/** Talks to one Prometheus server. */
export class PromClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: PromClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** An instant query evaluated at `timeMs` (default: Prometheus' now). */
  async query(expr: string, timeMs?: number): Promise<QueryResult> {
    const form = new URLSearchParams({ query: expr });
    if (timeMs !== undefined) {
      form.set('time', (timeMs / 1000).toFixed(3));
    }
    return parseQueryData(await this.post('/api/v1/query', form));
  }

  /** The series matching `selector` that had samples between startMs and endMs (end default now). */
  async series(selector: string, startMs?: number, endMs?: number): Promise<PromLabels[]> {
    const form = new URLSearchParams();
    form.append('match[]', selector);
    if (startMs !== undefined) {
      form.set('start', (startMs / 1000).toFixed(3));
    }
    if (endMs !== undefined) {
      form.set('end', (endMs / 1000).toFixed(3));
    }
    const data = await this.post('/api/v1/series', form);
    if (!Array.isArray(data)) {
      throw new PromError('PromBadResponse', 'the series response has no list of series');
    }
    return data.map((s) => labelsOf(s));
  }

  // POST with a form body: the same answers as GET, without URL length limits on long matchers.
  private async post(path: string, form: URLSearchParams): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.opts.headers },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw requestError(e, this.timeoutMs, this.base);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw requestError(e, this.timeoutMs, this.base);
    }
    return envelopeData(res.status, text);
  }
}

function requestError(e: unknown, timeoutMs: number, base: string): PromError {
  const name = (e as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PromError('PromTimeout', `Prometheus at ${base} did not answer in ${timeoutMs} ms`);
  }
  const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
  return new PromError(
    'PromUnreachable',
    `cannot reach Prometheus at ${base}: ${cause}`,
    undefined,
    {
      cause: e,
    },
  );
}

/** The `data` of a Prometheus API answer, or the error it carries. */
export function envelopeData(httpStatus: number, text: string): unknown {
  let body: ApiEnvelope | undefined;
  try {
    body = JSON.parse(text) as ApiEnvelope;
  } catch {
    body = undefined;
  }
  if (body?.status === 'error') {
    const type = body.errorType ?? 'unknown';
    throw new PromError('PromQueryError', `${type}: ${body.error ?? ''}`, type);
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    throw new PromError(
      'PromHttpError',
      `Prometheus answered HTTP ${httpStatus}: ${text.slice(0, 200)}`,
    );
  }
  if (body?.status !== 'success') {
    throw new PromError('PromBadResponse', `not a Prometheus API answer: ${text.slice(0, 200)}`);
  }
  return body.data;
}

/** Prometheus sends sample values as strings ("1.5", "NaN", "+Inf"). */
function sampleValue(v: unknown): number {
  if (typeof v !== 'string') {
    throw new PromError('PromBadResponse', 'a sample value is not a string');
  }
  if (v === '+Inf' || v === 'Inf') {
    return Infinity;
  }
  if (v === '-Inf') {
    return -Infinity;
  }
  return Number(v);
}

function point(p: unknown): { timestampMs: number; value: number } {
  if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number') {
    throw new PromError('PromBadResponse', 'a sample is not [time, "value"]');
  }
  return { timestampMs: Math.round(p[0] * 1000), value: sampleValue(p[1]) };
}

function labelsOf(m: unknown): PromLabels {
  if (typeof m !== 'object' || m === null) {
    throw new PromError('PromBadResponse', 'a series has no labels object');
  }
  const out: PromLabels = {};
  for (const [k, v] of Object.entries(m)) {
    out[k] = String(v);
  }
  return out;
}

/** The instant query `data` ({resultType, result}) as a QueryResult. */
export function parseQueryData(data: unknown): QueryResult {
  const d = (data ?? {}) as { resultType?: string; result?: unknown };
  if (d.resultType === 'vector') {
    if (!Array.isArray(d.result)) {
      throw new PromError('PromBadResponse', 'a vector result is not a list');
    }
    const vector = d.result.map((s: { metric?: unknown; value?: unknown }) => {
      const { timestampMs, value } = point(s.value);
      return { metric: labelsOf(s.metric ?? {}), timestampMs, value };
    });
    return { type: 'vector', vector };
  }
  if (d.resultType === 'scalar') {
    return { type: 'scalar', scalar: point(d.result) };
  }
  if (d.resultType === 'matrix' || d.resultType === 'string') {
    return { type: d.resultType };
  }
  throw new PromError('PromBadResponse', `unknown resultType ${String(d.resultType)}`);
}
