// The grpc probe (pkg/probe/grpc/grpc.go): grpc.health.v1.Health/Check over cleartext HTTP/2 with
// node:http2. As grpc-go's blocking dial, connecting is retried until the deadline; every failure
// is a probe failure worded as upstream's; only SERVING succeeds.
import http2, { type ClientHttp2Session } from 'node:http2';
import { callHealthCheck, type RpcStatus } from './grpc-call.js';
import { GrpcCode, grpcCodeName, SERVING, SERVING_STATUS_NAMES } from './grpc-health.js';
import { goQuote, joinHostPort } from './port.js';
import { PROBE_USER_AGENT, type ProbeOutcome } from './types.js';

export interface GrpcProbeOptions {
  host: string;
  port: number;
  service: string;
  timeoutMs: number;
  signal?: AbortSignal;
  userAgent?: string;
}

/** grpc-go's connection backoff: 1s, growing 1.6 times per attempt, jittered by 20%. */
function backoffMs(attempt: number): number {
  const base = 1000 * 1.6 ** attempt;
  return base * (1 + 0.2 * (Math.random() * 2 - 1));
}

/** Go's %v of a duration that is a whole number of milliseconds. */
function goDurationMs(ms: number): string {
  if (ms < 1000) {
    return `${ms}ms`;
  }
  const m = Math.floor(ms / 60_000);
  const s = (ms % 60_000) / 1000;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** One HTTP/2 connection attempt, ready once the server's SETTINGS arrive. */
function connectOnce(
  authority: string,
  stop: AbortSignal,
): Promise<ClientHttp2Session | undefined> {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${authority}`);
    let isSettled = false;
    const done = (ok: boolean): void => {
      if (isSettled) {
        return;
      }
      isSettled = true;
      stop.removeEventListener('abort', onAbort);
      if (!ok) {
        session.destroy();
      }
      resolve(ok ? session : undefined);
    };
    const onAbort = (): void => done(false);
    stop.addEventListener('abort', onAbort, { once: true });
    session.once('remoteSettings', () => done(true));
    // A session error later on surfaces as the call's stream closing; this only keeps the
    // 'error' event from throwing.
    session.on('error', () => done(false));
    session.once('close', () => done(false));
  });
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      stop.removeEventListener('abort', finish);
      resolve();
    }
    stop.addEventListener('abort', finish, { once: true });
  });
}

async function dial(authority: string, stop: AbortSignal): Promise<ClientHttp2Session | undefined> {
  for (let attempt = 0; !stop.aborted; attempt++) {
    const session = await connectOnce(authority, stop);
    if (session !== undefined) {
      return session;
    }
    await sleep(backoffMs(attempt), stop);
  }
  return undefined;
}

function rpcOutcome(status: RpcStatus, timeout: string): ProbeOutcome {
  if (status.code === GrpcCode.Unimplemented) {
    return {
      result: 'failure',
      message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${status.message}`,
    };
  }
  if (status.code === GrpcCode.DeadlineExceeded) {
    return { result: 'failure', message: `timeout: health rpc did not complete within ${timeout}` };
  }
  const err = `rpc error: code = ${grpcCodeName(status.code)} desc = ${status.message}`;
  return { result: 'failure', message: `error: health rpc probe failed: ${err}` };
}

/** Runs a grpc probe against host:port for `service` ('' for the whole server). */
export async function probeGrpc(opts: GrpcProbeOptions): Promise<ProbeOutcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), opts.timeoutMs);
  const stop = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const authority = joinHostPort(opts.host, opts.port);
  const timeout = goDurationMs(opts.timeoutMs);
  let session: ClientHttp2Session | undefined;
  try {
    session = await dial(authority, stop);
    if (session === undefined) {
      if (!deadline.signal.aborted) {
        return { result: 'failure', isError: true, message: 'context canceled' };
      }
      return {
        result: 'failure',
        message: `timeout: failed to connect service ${goQuote(authority)} within ${timeout}: context deadline exceeded`,
      };
    }
    const reply = await callHealthCheck(session, {
      service: opts.service,
      userAgent: opts.userAgent ?? PROBE_USER_AGENT,
      timeoutMs: opts.timeoutMs,
      stop,
      isTimeout: () => deadline.signal.aborted,
    });
    if ('code' in reply) {
      return rpcOutcome(reply, timeout);
    }
    if (reply.servingStatus !== SERVING) {
      const name = SERVING_STATUS_NAMES[reply.servingStatus] ?? String(reply.servingStatus);
      return { result: 'failure', message: `service unhealthy (responded with ${goQuote(name)})` };
    }
    return { result: 'success', message: 'service healthy' };
  } finally {
    clearTimeout(timer);
    session?.destroy();
  }
}
