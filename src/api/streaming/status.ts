// What goes on an exec/attach error channel (the kubelet's Status values, marshalled as Go does)
// and the plain HTTP answers written to a socket that is not upgraded after all.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../lib/errors.js';
import type { StatusCause, StatusReason } from '../../lib/errors.js';
import type { ExecExit } from './types.js';

/** A metav1.Status as written on the error channel (no kind/apiVersion, as the kubelet's). */
export interface ChannelStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | 'NonZeroExitCode';
  details?: { causes: StatusCause[] };
  code?: number;
}

export const SUCCESS: ChannelStatus = { metadata: {}, status: 'Success' };

/** A process that exited non-zero: kubectl prints `command terminated with exit code N`, exits N. */
export function nonZeroExit(code: number): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** apierrors.NewInternalError: the message gets a prefix and is repeated as the only cause. */
export function internalErrorStatus(message: string): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The final status of a session. Attach reports no exit code upstream, only success or failure. */
export function exitStatus(exit: ExecExit, verb: 'exec' | 'attach'): ChannelStatus {
  if ('error' in exit) {
    return internalErrorStatus(`${failurePrefix(verb)}: ${exit.error}`);
  }
  if (verb === 'attach' || exit.exitCode === 0) {
    return SUCCESS;
  }
  return nonZeroExit(exit.exitCode);
}

/** The status when a session could not be started: an ApiError as is, anything else internal. */
export function startFailureStatus(e: unknown, verb: 'exec' | 'attach'): ChannelStatus {
  if (e instanceof ApiError) {
    const { status, message, reason, details, code } = e.toStatus();
    return {
      metadata: {},
      status,
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    } as ChannelStatus;
  }
  const message = e instanceof Error ? e.message : String(e);
  return internalErrorStatus(`${failurePrefix(verb)}: ${message}`);
}

function failurePrefix(verb: 'exec' | 'attach'): string {
  return verb === 'exec' ? 'error executing command in container' : 'error attaching to container';
}

/**
 * The bytes for the error channel: JSON for v4+, and for older protocols only a failure's
 * message (success is the channel closing with nothing on it).
 */
export function encodeChannelStatus(status: ChannelStatus, json: boolean): Buffer | undefined {
  if (json) {
    return Buffer.from(JSON.stringify(status));
  }
  return status.status === 'Success' ? undefined : Buffer.from(status.message ?? '');
}

/** 400 for exec/attach/portforward requests that arrive without an upgrade (upstream wording). */
export function upgradeRequired(): ApiError {
  return new ApiError(400, 'BadRequest', 'Upgrade request required');
}

/** Answers an upgrade request with a Status instead of switching protocols, and closes. */
export function rejectUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  writeResponse(socket, error.code, { 'Content-Type': 'application/json' }, body);
}

/** Answers an upgrade request with plain text, as httpstream does for negotiation failures. */
export function rejectUpgradeText(
  socket: Duplex,
  code: number,
  text: string,
  headers: Record<string, string | string[]> = {},
): void {
  writeResponse(
    socket,
    code,
    {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
    `${text}\n`,
  );
}

function writeResponse(
  socket: Duplex,
  code: number,
  headers: Record<string, string | string[]>,
  body: string,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`];
  const all = {
    ...headers,
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  for (const [name, value] of Object.entries(all)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      lines.push(`${name}: ${v}`);
    }
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
