// Container logs: the process writes raw stdout/stderr files (so it never depends on the agent
// being alive); a LogPump turns new raw bytes into CRI log lines in <restartCount>.log, with a
// size cap and one rotation (<restartCount>.log.1). Its read position is saved beside them, so an
// agent that restarted resumes without copying lines twice.
import { appendFile, open, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';

/** CRI caps a log entry at 16 KiB; longer lines are split into P (partial) entries. */
export const MAX_LINE_BYTES = 16 * 1024;
/** Default size cap of one log file before rotation (the kubelet's containerLogMaxSize). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

export type LogStream = 'stdout' | 'stderr';

/** Nanoseconds since the epoch, from a monotonic clock anchored once to the wall clock. */
export function makeNanoClock(): () => bigint {
  const epochNs = BigInt(Date.now()) * 1_000_000n;
  const start = process.hrtime.bigint();
  return () => epochNs + (process.hrtime.bigint() - start);
}

/** CRI's timestamp: RFC 3339 with exactly nine fraction digits, UTC. */
export function criTimestamp(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const fraction = String(ns % 1_000_000_000n).padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** Paths of one container run's files. */
export function logPaths(
  containerDir: string,
  restartCount: number,
): Record<string, string> & {
  log: string;
  rotated: string;
  stdout: string;
  stderr: string;
  position: string;
} {
  const base = `${containerDir}/${restartCount}`;
  return {
    log: `${base}.log`,
    rotated: `${base}.log.1`,
    stdout: `${base}.stdout`,
    stderr: `${base}.stderr`,
    position: `${base}.logpos`,
  };
}

/** Options of a LogPump. */
export interface LogPumpOptions {
  containerDir: string;
  restartCount: number;
  maxBytes?: number;
  nowNs?: () => bigint;
}

/** Moves raw output into the CRI log file; `pump()` calls are serialised. */
export class LogPump {
  readonly paths: ReturnType<typeof logPaths>;
  private readonly maxBytes: number;
  private readonly nowNs: () => bigint;
  private readonly offsets: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  private logSize = -1;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: LogPumpOptions) {
    this.paths = logPaths(opts.containerDir, opts.restartCount);
    this.maxBytes = opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.nowNs = opts.nowNs ?? makeNanoClock();
  }

  /**
   * Pumps until stop(): every `intervalMs` while output flows, backing off to `idleMaxMs` while
   * the container is quiet (most are, and each check costs syscalls). The timer never keeps the
   * agent alive.
   */
  start(intervalMs = 100, idleMaxMs = 500): void {
    let delay = intervalMs;
    const tick = (): void => {
      this.pump(false)
        .then((moved) => {
          delay = moved ? intervalMs : Math.min(delay * 2, idleMaxMs);
        })
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) {
            this.timer = setTimeout(tick, delay);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, delay);
    this.timer.unref();
  }

  /** Continues from the saved read position (adoption); a missing file means the start. */
  async restorePosition(): Promise<void> {
    let saved: Partial<Record<LogStream, number>>;
    try {
      saved = JSON.parse(await readFile(this.paths.position, 'utf8')) as typeof saved;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw err;
    }
    this.offsets.stdout = saved.stdout ?? 0;
    this.offsets.stderr = saved.stderr ?? 0;
  }

  /** Stops the timer and pumps what is left, a final unterminated line included. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pump(true);
  }

  /**
   * Copies new complete lines (all bytes when `final`) from both raw files into the log;
   * resolves true when any bytes were consumed.
   */
  pump(final: boolean): Promise<boolean> {
    const run = this.chain.then(async () => {
      const before = `${this.offsets.stdout} ${this.offsets.stderr}`;
      for (const stream of ['stdout', 'stderr'] as const) {
        await this.pumpStream(stream, final);
      }
      // Saved after the append: a crash in between repeats at most this batch, never loses it.
      const moved = `${this.offsets.stdout} ${this.offsets.stderr}` !== before;
      if (moved) {
        await writeFile(this.paths.position, JSON.stringify(this.offsets));
      }
      return moved;
    });
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async pumpStream(stream: LogStream, final: boolean): Promise<void> {
    const data = await readFrom(this.paths[stream], this.offsets[stream]);
    if (data.length === 0) {
      return;
    }
    const { entries, consumed } = toEntries(data, final);
    if (entries.length > 0) {
      const prefix = `${criTimestamp(this.nowNs())} ${stream} `;
      await this.append(entries.map((e) => `${prefix}${e}\n`));
    }
    this.offsets[stream] += consumed;
    await this.maybeTruncateRaw(stream);
  }

  // Rotation happens between lines, so neither file ever exceeds the cap by more than a line.
  private async append(lines: string[]): Promise<void> {
    if (this.logSize < 0) {
      this.logSize = await sizeOf(this.paths.log);
    }
    let batch = '';
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.logSize > 0 && this.logSize + bytes > this.maxBytes) {
        await appendFile(this.paths.log, batch);
        batch = '';
        await rename(this.paths.log, this.paths.rotated);
        this.logSize = 0;
      }
      batch += line;
      this.logSize += bytes;
    }
    await appendFile(this.paths.log, batch);
  }

  // The raw file is opened O_APPEND by the process, so after truncation its next write lands at
  // offset 0. Bytes written between our last read and the truncate would be lost, so we only
  // truncate when the file is exactly as long as what we consumed, and only past the cap.
  private async maybeTruncateRaw(stream: LogStream): Promise<void> {
    const offset = this.offsets[stream];
    if (offset < this.maxBytes || (await sizeOf(this.paths[stream])) !== offset) {
      return;
    }
    await truncate(this.paths[stream], 0);
    this.offsets[stream] = 0;
  }
}

/** Splits raw bytes into CRI entries (`F text` / `P text`) and says how many bytes they used. */
export function toEntries(data: Buffer, final: boolean): { entries: string[]; consumed: number } {
  const entries: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(0x0a, pos);
    const end = nl < 0 ? data.length : nl;
    if (end - pos > MAX_LINE_BYTES) {
      entries.push(`P ${data.subarray(pos, pos + MAX_LINE_BYTES).toString('utf8')}`);
      pos += MAX_LINE_BYTES;
      continue;
    }
    if (nl < 0 && !final) {
      break;
    }
    entries.push(`F ${data.subarray(pos, end).toString('utf8')}`);
    pos = nl < 0 ? data.length : nl + 1;
  }
  return { entries, consumed: pos };
}

async function readFrom(file: string, offset: number): Promise<Buffer> {
  // One stat answers the common case (nothing new) without opening the file.
  if ((await sizeOf(file)) <= offset) {
    return Buffer.alloc(0);
  }
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return Buffer.alloc(0);
    }
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    if (size <= offset) {
      return Buffer.alloc(0);
    }
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return 0;
    }
    throw err;
  }
}
