// Reads a container run's CRI log (<n>.log.1 then <n>.log) as kubectl shows it: the CRI prefix
// stripped (or turned into an RFC3339Nano timestamp), with tailLines, sinceTime, limitBytes and
// follow across rotation.
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of readLogs, as PodLogOptions carries them. */
export interface ReadLogsOptions {
  tailLines?: number;
  sinceTime?: Date;
  timestamps?: boolean;
  limitBytes?: number;
  follow?: boolean;
  signal?: AbortSignal;
  /** With follow: once this returns false (the container exited), drain the file and end. */
  isRunning?: () => boolean;
  pollMs?: number;
}

/** One parsed CRI entry. */
export interface CriEntry {
  time: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

/** Parses `<time> <stream> <F|P> <text>`; undefined for a malformed line. */
export function parseCriLine(line: string): CriEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
  const time = m?.[1];
  if (!m || time === undefined) {
    return undefined;
  }
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) {
    return undefined;
  }
  const stream = m[2] === 'stderr' ? 'stderr' : 'stdout';
  return { time, timeMs, stream, partial: m[3] === 'P', text: m[4] ?? '' };
}

/** Go's RFC3339Nano of a CRI time: trailing zeros of the fraction dropped. */
export function toRfc3339Nano(criTime: string): string {
  return criTime.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

// Joins P entries with the F that ends them, as the kubelet does, into kubectl lines.
class LineAssembler {
  private pending: CriEntry | undefined;
  private pendingText = '';

  constructor(private readonly timestamps: boolean) {}

  push(raw: string): { line: string; timeMs: number } | undefined {
    const entry = parseCriLine(raw);
    if (!entry) {
      return undefined;
    }
    const first = this.pending ?? entry;
    this.pendingText += entry.text;
    if (entry.partial) {
      this.pending = first;
      return undefined;
    }
    const text = this.pendingText;
    this.pending = undefined;
    this.pendingText = '';
    const prefix = this.timestamps ? `${toRfc3339Nano(first.time)} ` : '';
    return { line: `${prefix}${text}\n`, timeMs: first.timeMs };
  }
}

/** The log of one container run as kubectl lines (each ending in a newline). */
export async function* readLogs(
  logPath: string,
  opts: ReadLogsOptions = {},
): AsyncGenerator<string> {
  const assembler = new LineAssembler(opts.timestamps ?? false);
  const since = opts.sinceTime?.getTime();
  const budget = new ByteBudget(opts.limitBytes);
  const follower = new FileFollower(logPath);
  const initial = [...(await readAll(`${logPath}.1`)), ...(await follower.readNew())];
  for (const l of selectInitial(initial, assembler, since, opts.tailLines)) {
    yield budget.take(l.line);
    if (budget.spent) {
      return;
    }
  }
  if (!opts.follow) {
    return;
  }
  for await (const raw of follower.follow(opts)) {
    const l = assembler.push(raw);
    if (l && (since === undefined || l.timeMs >= since)) {
      yield budget.take(l.line);
      if (budget.spent) {
        return;
      }
    }
  }
}

// limitBytes: output stops after this many bytes, cutting the last line.
class ByteBudget {
  private left: number;

  constructor(limitBytes: number | undefined) {
    this.left = limitBytes ?? Number.POSITIVE_INFINITY;
  }

  get spent(): boolean {
    return this.left <= 0;
  }

  take(line: string): string {
    const bytes = Buffer.from(line);
    const out = bytes.length > this.left ? bytes.subarray(0, this.left).toString('utf8') : line;
    this.left -= Math.min(bytes.length, this.left);
    return out;
  }
}

type Line = { line: string; timeMs: number };

// As the kubelet: the last tailLines lines first, then only those at or after since.
function selectInitial(
  raw: string[],
  assembler: LineAssembler,
  since: number | undefined,
  tailLines: number | undefined,
): Line[] {
  const lines = raw.map((r) => assembler.push(r)).filter((l): l is Line => l !== undefined);
  const tail = tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - tailLines));
  return tail.filter((l) => since === undefined || l.timeMs >= since);
}

async function readAll(file: string): Promise<string[]> {
  return new FileFollower(file).readNew();
}

// Reads complete lines appended to a file, and notices rotation (the path's inode changes).
class FileFollower {
  private offset = 0;
  private ino = -1;
  private rest = '';

  constructor(private readonly file: string) {}

  async readNew(): Promise<string[]> {
    const info = await stat(this.file).catch(() => undefined);
    if (!info) {
      return [];
    }
    const lines: string[] = [];
    if (this.ino >= 0 && info.ino !== this.ino) {
      // Rotated: what was appended before the rename is now the last part of <path>.1.
      lines.push(...(await this.readFrom(`${this.file}.1`, this.ino)));
      this.offset = 0;
      this.rest = '';
    }
    this.ino = info.ino;
    lines.push(...(await this.readFrom(this.file, info.ino)));
    return lines;
  }

  async *follow(opts: ReadLogsOptions): AsyncGenerator<string> {
    const signal = opts.signal;
    while (!signal?.aborted) {
      const running = opts.isRunning?.() ?? true;
      yield* await this.readNew();
      if (!running) {
        return;
      }
      await sleep(opts.pollMs ?? 100, undefined, { signal }).catch(() => undefined);
    }
  }

  private async readFrom(file: string, ino: number): Promise<string[]> {
    const handle = await open(file, 'r').catch(() => undefined);
    if (!handle) {
      return [];
    }
    try {
      const info = await handle.stat();
      if (info.ino !== ino || info.size <= this.offset) {
        return [];
      }
      const buf = Buffer.alloc(info.size - this.offset);
      const { bytesRead } = await handle.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      const parts = (this.rest + buf.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.rest = parts.pop() ?? '';
      return parts;
    } finally {
      await handle.close();
    }
  }
}
