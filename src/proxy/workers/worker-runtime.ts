// An ingress worker's message loop, apart from the process it runs in: waits for 'init', serves
// the connections kubeproc hands over, reports stats every second, sweeps every minute, and on
// 'stop' closes everything, sends its last stats and exits. worker-main.ts runs it on the IPC
// channel; tests run it in-process (FakeWorkerProcess).
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { IngressWorker } from './ingress-worker.js';
import type { FromWorker, ToWorker } from './protocol.js';

const REPORT_MS = 1_000;
const SWEEP_MS = 60_000;

/** What the runtime needs of its process. */
export interface WorkerChannel {
  /** Sends to kubeproc; done runs once the message left (or could not). */
  send(message: FromWorker, done?: () => void): void;
  exit(code: number): void;
}

export interface WorkerRuntime {
  receive(message: ToWorker, handle?: Socket): void;
  /** Stops at once without a word to kubeproc, as a killed process would. */
  halt(): Promise<void>;
}

/** pino writing each record to kubeproc, which logs it with its own logger. */
function channelLogger(channel: WorkerChannel, level: string, worker: number): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) {
          channel.send({ type: 'log', record: JSON.parse(line) as Record<string, unknown> });
        }
      }
      done();
    },
  });
  return pino({ level, base: { ingressWorker: worker } }, sink);
}

/** The worker's message loop on channel. */
export function createWorkerRuntime(channel: WorkerChannel): WorkerRuntime {
  let worker: IngressWorker | undefined;
  let log: Logger | undefined;
  const timers: NodeJS.Timeout[] = [];
  let isStopping = false;
  const halt = async (): Promise<void> => {
    isStopping = true;
    timers.forEach((t) => clearInterval(t));
    await worker?.close();
  };
  const stop = async (): Promise<void> => {
    try {
      await halt();
      worker?.report();
    } catch (err) {
      log?.error({ err }, 'ingress worker: stopping failed');
    }
    // Exit once 'stopped' (and the last stats before it) left: IPC writes may be asynchronous.
    channel.send({ type: 'stopped' }, () => channel.exit(0));
  };
  return {
    receive(message, handle) {
      if (message.type === 'init' && !worker) {
        log = channelLogger(channel, message.logLevel, message.worker);
        worker = new IngressWorker({ limits: message.limits, log, send: (m) => channel.send(m) });
        worker.load(message.snapshot);
        const w = worker;
        timers.push(setInterval(() => w.report(), REPORT_MS));
        timers.push(setInterval(() => w.sweep(), SWEEP_MS));
        channel.send({ type: 'ready' });
      } else if (message.type === 'stop') {
        if (!isStopping) {
          void stop();
        }
      } else if (!isStopping) {
        worker?.handle(message, handle);
      } else {
        handle?.destroy();
      }
    },
    halt,
  };
}
