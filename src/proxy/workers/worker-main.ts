// The entry point of an ingress worker process (forked by IngressWorkerPool): runs the worker
// runtime on the IPC channel, and exits when kubeproc goes away (the channel closes, even when
// kubeproc is killed with SIGKILL).
import type { Socket } from 'node:net';
import type { FromWorker, ToWorker } from './protocol.js';
import { createWorkerRuntime } from './worker-runtime.js';

function send(message: FromWorker, done?: () => void): void {
  if (!process.connected || !process.send) {
    done?.();
    return;
  }
  process.send(message, undefined, {}, () => done?.());
}

function main(): void {
  if (!process.send) {
    process.stderr.write('kubeproc ingress worker: must be started by kubeproc (no IPC channel)\n');
    process.exit(2);
  }
  // kubeproc stops its workers itself; a terminal's Ctrl-C reaches the whole process group.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {});
  }
  process.on('disconnect', () => process.exit(0));
  const runtime = createWorkerRuntime({
    send,
    exit: (code) => process.exit(code),
  });
  process.on('message', (message: ToWorker, handle?: Socket) => runtime.receive(message, handle));
  process.on('uncaughtException', (err) => {
    process.stderr.write(`kubeproc ingress worker: ${err.stack ?? String(err)}\n`);
    process.exit(1);
  });
}

main();
