// kubeproc's ingress workers: N child processes, each serving the ingress connections kubeproc
// accepts and hands over round-robin. Each gets the routing snapshot at start and every change
// after; their stats come back every second. A worker that dies is replaced with backoff, and
// connections are served in-process while none is ready. stop() ends them all.
import { fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { ProxyLimits } from '../config.js';
import type { KeyPair } from '../ingress/default-cert.js';
import type { ConnectionHandoff, Proto } from '../ingress/listeners.js';
import type { MergedStats } from '../stats/merged-stats.js';
import type { FromWorker, Snapshot, ToWorker } from './protocol.js';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const RESPAWN_BASE_MS = 500;
const RESPAWN_MAX_MS = 30_000;
/** A worker that ran this long before dying restarts without backoff. */
const STABLE_MS = 60_000;

/** What the pool uses of a worker's process (a ChildProcess, or a FakeWorkerProcess in tests). */
export interface WorkerProcess {
  readonly pid?: number | undefined;
  readonly connected: boolean;
  send(
    message: ToWorker,
    sendHandle: Socket | undefined,
    callback: (error: Error | null) => void,
  ): boolean;
  on(event: 'message', listener: (message: FromWorker) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Starts one worker process running script. */
export type WorkerLauncher = (script: string) => WorkerProcess;

/** Node flags a worker must not inherit (a debugger port can be bound once). */
const isInheritable = (flag: string): boolean => !/^--(inspect|debug)/.test(flag);

/** The argument that names a worker in ps/pgrep (`pgrep -af kubeproc` lists workers too). */
export const WORKER_MARKER = '--kubeproc-ingress-worker';

/** The real thing: a forked Node process on an IPC channel, its output kubeproc's own. */
export const forkWorker: WorkerLauncher = (script) =>
  fork(script, [WORKER_MARKER], {
    execArgv: process.execArgv.filter(isInheritable),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });

export interface IngressWorkerPoolDeps {
  count: number;
  limits: ProxyLimits;
  log: Logger;
  stats: MergedStats;
  /** The routing state a new worker starts from. */
  snapshot: () => Snapshot;
  /** The HTTPS listener opened (the feed tells the workers). */
  onHttps: (port: number, cert: KeyPair) => void;
  /** The worker's script; default: worker-main.js beside this module. */
  script?: string;
  /** Default: forkWorker. */
  launch?: WorkerLauncher;
}

interface Slot {
  id: number;
  child?: WorkerProcess;
  /** Init was sent: later changes go to this worker too. */
  isFed: boolean;
  isReady: boolean;
  isAlive: boolean;
  startedAtMs: number;
  failures: number;
  respawn?: NodeJS.Timeout;
  exited?: Promise<void>;
}

export class IngressWorkerPool implements ConnectionHandoff {
  private readonly slots: Slot[];
  private readonly script: string;
  private next = 0;
  private isStopping = false;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly deps: IngressWorkerPoolDeps) {
    this.slots = Array.from({ length: deps.count }, (_, id) => ({
      id,
      isFed: false,
      isReady: false,
      isAlive: false,
      startedAtMs: 0,
      failures: 0,
    }));
    this.script = deps.script ?? IngressWorkerPool.defaultScript();
  }

  /** The built worker entry point beside this module (absent when running from source). */
  static defaultScript(): string {
    return fileURLToPath(new URL('./worker-main.js', import.meta.url));
  }

  /** How many workers the pool keeps. */
  get size(): number {
    return this.slots.length;
  }

  /** Workers that serve now. */
  get readyCount(): number {
    return this.slots.filter((s) => s.isReady).length;
  }

  /** The workers' process ids (live ones). */
  get pids(): number[] {
    return this.slots.flatMap((s) =>
      s.isAlive && s.child?.pid !== undefined ? [s.child.pid] : [],
    );
  }

  /** Starts every worker; resolves once all serve, or after a timeout (then they join later). */
  async start(): Promise<void> {
    for (const slot of this.slots) {
      this.spawn(slot);
    }
    const allReady = new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS)));
    await Promise.race([allReady, timeout]);
    clearTimeout(timer);
    if (this.readyCount < this.slots.length) {
      this.deps.log.warn(
        { ready: this.readyCount, workers: this.slots.length },
        'ingress: not every worker started in time; serving in-process meanwhile',
      );
    }
  }

  dispatch(socket: Socket, proto: Proto): boolean {
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      const slot = this.slots[(this.next + i) % n];
      const child = slot?.child;
      if (slot?.isReady && child?.connected) {
        this.next = (this.next + i + 1) % n;
        child.send({ type: 'connection', proto }, socket, (err) => {
          if (err) {
            // The worker went away with the connection in transit: nothing can serve it now.
            socket.destroy();
          }
        });
        return true;
      }
    }
    return false;
  }

  httpsOpened(port: number, cert: KeyPair): void {
    this.deps.onHttps(port, cert);
  }

  /** Sends a routing change to every worker that has its snapshot (in order after it). */
  broadcast(message: ToWorker): void {
    for (const slot of this.slots) {
      if (slot.isFed && slot.child?.connected) {
        slot.child.send(message, undefined, (err) => {
          if (err) {
            this.deps.log.debug({ err, worker: slot.id }, 'ingress worker: message not sent');
          }
        });
      }
    }
  }

  /** Stops every worker: asks first, kills what is left after a timeout. */
  async stop(): Promise<void> {
    this.isStopping = true;
    for (const slot of this.slots) {
      clearTimeout(slot.respawn);
      if (slot.child?.connected) {
        slot.child.send({ type: 'stop' }, undefined, () => {});
      }
    }
    const kill = setTimeout(() => {
      for (const slot of this.slots) {
        slot.child?.kill('SIGKILL');
      }
    }, STOP_TIMEOUT_MS);
    await Promise.all(this.slots.map((s) => s.exited ?? Promise.resolve()));
    clearTimeout(kill);
  }

  private spawn(slot: Slot): void {
    const { limits, log } = this.deps;
    const child = (this.deps.launch ?? forkWorker)(this.script);
    Object.assign(slot, {
      child,
      isFed: false,
      isReady: false,
      isAlive: true,
      startedAtMs: Date.now(),
    });
    slot.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: FromWorker) => this.received(slot, message));
    child.on('error', (err) => log.error({ err, worker: slot.id }, 'ingress worker: error'));
    child.once('exit', (code, signal) => this.exited(slot, child, code ?? signal));
    const init: ToWorker = {
      type: 'init',
      worker: slot.id,
      limits,
      logLevel: log.level,
      snapshot: this.deps.snapshot(),
    };
    child.send(init, undefined, (err) => {
      if (err) {
        log.warn({ err, worker: slot.id }, 'ingress worker: could not start');
      }
    });
    slot.isFed = true;
  }

  private received(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        slot.isReady = true;
        this.deps.log.debug({ worker: slot.id, pid: slot.child?.pid }, 'ingress worker ready');
        if (this.readyCount === this.slots.length) {
          this.readyWaiters.splice(0).forEach((resolve) => resolve());
        }
        break;
      case 'stats':
        this.deps.stats.addReport(slot.id, message.changes);
        break;
      case 'log':
        this.relayLog(message.record);
        break;
      case 'stopped':
        slot.isReady = false;
        break;
    }
  }

  private relayLog(record: Record<string, unknown>): void {
    const { log } = this.deps;
    const { level, time: _time, msg, pid: _pid, hostname: _host, ...fields } = record;
    const label = typeof level === 'number' ? log.levels.labels[level] : undefined;
    const write = label && label in log ? log[label as 'info'] : log.info;
    write.call(log, fields, typeof msg === 'string' ? msg : '');
  }

  private exited(slot: Slot, child: WorkerProcess, how: number | string | null): void {
    if (slot.child !== child) {
      return;
    }
    slot.isReady = false;
    slot.isFed = false;
    slot.isAlive = false;
    this.deps.stats.dropWorker(slot.id);
    if (this.isStopping) {
      return;
    }
    const ranMs = Date.now() - slot.startedAtMs;
    slot.failures = ranMs >= STABLE_MS ? 0 : slot.failures + 1;
    const delayMs = Math.min(RESPAWN_BASE_MS * 2 ** Math.max(0, slot.failures - 1), RESPAWN_MAX_MS);
    this.deps.log.warn(
      { worker: slot.id, pid: child.pid, exit: how, restartInMs: delayMs },
      'ingress worker exited; serving on the others (or in-process) until it is back',
    );
    slot.respawn = setTimeout(() => {
      if (!this.isStopping) {
        this.spawn(slot);
      }
    }, delayMs);
  }
}
