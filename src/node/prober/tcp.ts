// The tcpSocket probe (pkg/probe/tcp/tcp.go): success when a TCP connection opens within the
// timeout; the connection is closed at once. Failures carry Go's dial error text.
import { connect } from 'node:net';
import { dialError } from './net-errors.js';
import { joinHostPort } from './port.js';
import type { ProbeOutcome } from './types.js';

/** Opens and closes one TCP connection to host:port. */
export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  const hostPort = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void =>
      finish({ result: 'failure', isError: true, message: 'context canceled' });
    const timer = setTimeout(
      () => finish({ result: 'failure', message: `dial tcp ${hostPort}: i/o timeout` }),
      timeoutMs,
    );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ result: 'success', message: '' }));
    socket.once('error', (err) => finish({ result: 'failure', message: dialError(err, hostPort) }));
  });
}
