// HttpClient's transport: one keep-alive agent per client, bounded response bodies, and the
// mapping of error answers back to ApiError (the inverse of api/'s one Status writer).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type {
  ClientRequest,
  IncomingMessage,
  RequestOptions as NodeRequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ApiError } from '../lib/errors.js';
import type { Status } from '../lib/errors.js';

export interface HttpClientConfig {
  /** `https://host:port`; a path prefix (`https://proxy/k8s/clusters/c1`) is kept. */
  server: string;
  token?: string;
  /** PEM of the CA that signed the server's certificate; the system roots when absent. */
  caPem?: string;
  /** Client certificate and key (PEM), for servers that authenticate by certificate. */
  certPem?: string;
  keyPem?: string;
  /** The name the server certificate must carry, when it differs from the URL's host. */
  tlsServerName?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
  /** Larger response bodies (or single watch events) are refused; default 64 MiB. */
  maxResponseBytes?: number;
  /** A request whose connection stays silent this long fails; default 60 s. Watches have none. */
  idleTimeoutMs?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** How much of a non-Status error body is quoted in the error message. */
const ERROR_SNIPPET_CHARS = 256;

export type HttpClientErrorCode =
  'InvalidRequest' | 'RequestFailed' | 'ResponseTooLarge' | 'InvalidResponse' | 'Timeout';

/** A failure on the client side of the wire (no usable answer), as opposed to an ApiError. */
export class HttpClientError extends Error {
  constructor(
    readonly code: HttpClientErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpClientError';
  }
}

export interface RequestOptions {
  query?: URLSearchParams;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  code: number;
  body: Buffer;
}

export class HttpTransport {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly headers: Record<string, string>;
  readonly maxResponseBytes: number;
  private readonly idleTimeoutMs: number;

  constructor(config: HttpClientConfig) {
    this.base = new URL(config.server);
    const isHttps = this.base.protocol === 'https:';
    if (!isHttps && this.base.protocol !== 'http:') {
      throw new Error(`server ${config.server}: only http and https URLs are supported`);
    }
    this.agent = isHttps ? httpsAgent(config) : new HttpAgent({ keepAlive: true });
    this.send = isHttps ? httpsRequest : httpRequest;
    this.headers = {
      Accept: 'application/json',
      'User-Agent': config.userAgent ?? `kubeproc/v0 (${process.platform}/${process.arch})`,
      ...(config.token ? { Authorization: `Bearer ${config.token}` } : {}),
    };
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.idleTimeoutMs = config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** Sends a request and reads the whole answer, whatever its status. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const res = await this.open(method, path, opts);
    const body = await readBounded(res, this.maxResponseBytes, `${method} ${path}`);
    return { code: res.statusCode ?? 0, body };
  }

  /** Sends a request: a 2xx answer is parsed as JSON, any other becomes an ApiError. */
  async json(method: string, path: string, opts: RequestOptions = {}): Promise<unknown> {
    const { code, body } = await this.request(method, path, opts);
    if (code < 200 || code > 299) {
      throw errorFromResponse(code, body);
    }
    try {
      return JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new HttpClientError('InvalidResponse', `${method} ${path}: the answer is not JSON`, {
        cause: e,
      });
    }
  }

  /** Opens a streamed GET (watch): resolves with a 2xx response, else throws its ApiError. */
  async stream(path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const res = await this.open('GET', path, { ...opts, isStream: true });
    const code = res.statusCode ?? 0;
    if (code >= 200 && code <= 299) {
      return res;
    }
    throw errorFromResponse(code, await readBounded(res, this.maxResponseBytes, `GET ${path}`));
  }

  /** Closes pooled connections; requests in flight are cut. */
  close(): void {
    this.agent.destroy();
  }

  private open(
    method: string,
    path: string,
    opts: RequestOptions & { isStream?: boolean; isRetry?: boolean },
  ): Promise<IncomingMessage> {
    const what = `${method} ${path}`;
    return new Promise((resolve, reject) => {
      const req = this.send(this.options(method, path, opts));
      req.once('response', resolve);
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A pooled connection the server closed as we reused it: safe to resend a GET once.
        if (req.reusedSocket && e.code === 'ECONNRESET' && method === 'GET' && !opts.isRetry) {
          resolve(this.open(method, path, { ...opts, isRetry: true }));
          return;
        }
        reject(
          e instanceof HttpClientError || e.name === 'AbortError'
            ? e
            : new HttpClientError('RequestFailed', `${what}: ${e.message}`, { cause: e }),
        );
      });
      if (!opts.isStream) {
        setIdleTimeout(req, this.idleTimeoutMs, what);
      }
      req.end(opts.body);
    });
  }

  private options(method: string, path: string, opts: RequestOptions): NodeRequestOptions {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const query = opts.query?.toString() ?? '';
    const headers: Record<string, string> = { ...this.headers };
    if (opts.body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    }
    return {
      method,
      protocol: this.base.protocol,
      // URL keeps IPv6 literals in brackets; sockets want them bare.
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port || (this.base.protocol === 'https:' ? 443 : 80),
      path: `${prefix}${path}${query ? `?${query}` : ''}`,
      headers,
      agent: this.agent,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
  }
}

function httpsAgent(config: HttpClientConfig): HttpsAgent {
  return new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: !config.insecureSkipTLSVerify,
    ...(config.caPem ? { ca: config.caPem } : {}),
    ...(config.certPem ? { cert: config.certPem } : {}),
    ...(config.keyPem ? { key: config.keyPem } : {}),
    ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
  });
}

function setIdleTimeout(req: ClientRequest, ms: number, what: string): void {
  req.setTimeout(ms, () => {
    req.destroy(new HttpClientError('Timeout', `${what}: no answer for ${ms} ms`));
  });
}

/** Reads a whole body, refusing one larger than limit bytes (declared or actual). */
export function readBounded(res: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      res.destroy();
      reject(tooLargeError(what, limit));
    };
    if (Number(res.headers['content-length'] ?? 0) > limit) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let isEnded = false;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => {
      isEnded = true;
      resolve(Buffer.concat(chunks, size));
    });
    res.on('error', (e) => {
      reject(
        e instanceof HttpClientError
          ? e
          : new HttpClientError('RequestFailed', `${what}: reading the answer: ${e.message}`, {
              cause: e,
            }),
      );
    });
    res.once('close', () => {
      if (!isEnded) {
        reject(new HttpClientError('RequestFailed', `${what}: the answer was cut short`));
      }
    });
  });
}

export function tooLargeError(what: string, limit: number): HttpClientError {
  return new HttpClientError('ResponseTooLarge', `${what}: the answer exceeds ${limit} bytes`);
}

/** The ApiError an error answer stands for: its Status when it sent one, else InternalError. */
export function errorFromResponse(code: number, body: Buffer): ApiError {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return genericError(code, text);
  }
  if (isStatus(parsed)) {
    return ApiError.fromStatus(parsed, code);
  }
  return genericError(code, text);
}

/** A metav1.Status answer (errors, and successful deletes of most kinds). */
export function isStatus(value: unknown): value is Partial<Status> {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status'
  );
}

function genericError(code: number, text: string): ApiError {
  const snippet =
    text.length > ERROR_SNIPPET_CHARS ? `${text.slice(0, ERROR_SNIPPET_CHARS)}…` : text;
  return new ApiError(
    code,
    'InternalError',
    `an error on the server (${JSON.stringify(snippet.trim())}) has prevented the request from succeeding (status ${code})`,
  );
}
