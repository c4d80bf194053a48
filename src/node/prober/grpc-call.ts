// One unary Health/Check call on an open HTTP/2 session, read the way grpc-go reads it: HTTP
// status and content-type first, then grpc-status from the trailers, then the single message.
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  firstMessage,
  GrpcCode,
  HEALTH_CHECK_PATH,
} from './grpc-health.js';
import { goQuote } from './port.js';

/** A non-OK gRPC status. */
export interface RpcStatus {
  code: number;
  message: string;
}

export interface CallOptions {
  service: string;
  userAgent: string;
  timeoutMs: number;
  stop: AbortSignal;
  isTimeout(): boolean;
}

type CallResult = { servingStatus: number } | RpcStatus;

/** grpc-go's HTTPStatusConvTab; other statuses map to Unknown. */
const HTTP_TO_CODE: Record<number, number> = {
  400: 13,
  401: 16,
  403: 7,
  404: 12,
  429: 14,
  502: 14,
  503: 14,
  504: 14,
};

const RST_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];
const RST_TO_CODE: Record<number, number> = { 7: 14, 8: 1, 11: 8, 12: 7 };

function header(h: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const v = h?.[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodeGrpcMessage(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return raw ?? '';
  }
}

function transportError(headers: IncomingHttpHeaders): RpcStatus | undefined {
  const status = Number(header(headers, ':status'));
  const contentType = header(headers, 'content-type') ?? '';
  const isGrpc = /^application\/grpc($|[+;])/.test(contentType);
  if (status === 200 && isGrpc) {
    return undefined;
  }
  const parts: string[] = [];
  if (status !== 200) {
    parts.push(
      `unexpected HTTP status code received from server: ${status} (${STATUS_CODES[status] ?? ''})`,
    );
  }
  if (!isGrpc) {
    parts.push(`transport: received unexpected content-type ${goQuote(contentType)}`);
  }
  return { code: status === 200 ? 2 : (HTTP_TO_CODE[status] ?? 2), message: parts.join('; ') };
}

interface Received {
  headers?: IncomingHttpHeaders;
  trailers?: IncomingHttpHeaders;
  chunks: Buffer[];
  rstCode: number;
}

/** A stream that ended without grpc-status: reset by the server, or just closed. */
function missingStatus(rstCode: number): RpcStatus {
  if (rstCode !== 0) {
    const name = RST_NAMES[rstCode] ?? String(rstCode);
    const message = `stream terminated by RST_STREAM with error code: ${name}`;
    return { code: RST_TO_CODE[rstCode] ?? GrpcCode.Internal, message };
  }
  return { code: GrpcCode.Internal, message: 'server closed the stream without sending trailers' };
}

/** The call's result once the stream has closed. */
function interpret(r: Received): CallResult {
  if (r.headers === undefined) {
    return r.rstCode !== 0
      ? missingStatus(r.rstCode)
      : { code: 14, message: 'error reading from server: EOF' };
  }
  const broken = transportError(r.headers);
  if (broken !== undefined) {
    return broken;
  }
  const rawStatus = header(r.trailers, 'grpc-status') ?? header(r.headers, 'grpc-status');
  if (rawStatus === undefined) {
    return missingStatus(r.rstCode);
  }
  const code = Number(rawStatus);
  if (code !== 0) {
    const message = decodeGrpcMessage(
      header(r.trailers, 'grpc-message') ?? header(r.headers, 'grpc-message'),
    );
    return { code, message };
  }
  try {
    const message = firstMessage(Buffer.concat(r.chunks));
    if (message === undefined) {
      const text = 'cardinality violation: received no response message from non-streaming RPC';
      return { code: GrpcCode.Internal, message: text };
    }
    return { servingStatus: decodeHealthCheckResponse(message) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      code: GrpcCode.Internal,
      message: `grpc: failed to unmarshal the received message: ${why}`,
    };
  }
}

/** Sends HealthCheckRequest{service} and reads the response or the call's error status. */
export function callHealthCheck(
  session: ClientHttp2Session,
  opts: CallOptions,
): Promise<CallResult> {
  return new Promise((resolve) => {
    const got: Received = { chunks: [], rstCode: 0 };
    let stream: ClientHttp2Stream | undefined;
    let isSettled = false;
    const settle = (result: CallResult): void => {
      if (isSettled) {
        return;
      }
      isSettled = true;
      opts.stop.removeEventListener('abort', onAbort);
      stream?.close();
      resolve(result);
    };
    const onAbort = (): void =>
      settle(
        opts.isTimeout()
          ? { code: GrpcCode.DeadlineExceeded, message: 'context deadline exceeded' }
          : { code: GrpcCode.Canceled, message: 'context canceled' },
      );
    opts.stop.addEventListener('abort', onAbort, { once: true });
    try {
      stream = session.request({
        ':method': 'POST',
        ':path': HEALTH_CHECK_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        'user-agent': opts.userAgent,
        'grpc-timeout': `${Math.max(1, Math.floor(opts.timeoutMs))}m`,
      });
    } catch (err) {
      settle({ code: 14, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    stream.on('response', (h: IncomingHttpHeaders) => {
      got.headers = h;
    });
    stream.on('data', (chunk: Buffer) => got.chunks.push(chunk));
    stream.on('trailers', (t: IncomingHttpHeaders) => {
      got.trailers = t;
    });
    // 'close' always follows, and reports what arrived; errors need no more than that.
    stream.on('error', () => undefined);
    stream.on('close', () => {
      got.rstCode = stream?.rstCode ?? 0;
      settle(interpret(got));
    });
    stream.end(encodeHealthCheckRequest(opts.service));
  });
}
