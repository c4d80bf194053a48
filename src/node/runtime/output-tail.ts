// Follows a container's raw output file (what the process itself writes, before the log pump
// makes CRI lines of it) from a given offset into a stream, for attach: bytes as written,
// partial lines included, so a prompt without a newline shows at once.
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** How often the file is checked while attached. */
const DEFAULT_POLL_MS = 50;
const CHUNK_BYTES = 64 * 1024;

/** The raw stdout/stderr files beside a container run's CRI log (`<n>.log`). */
export function rawOutputPaths(logPath: string): { stdout: string; stderr: string } {
  const base = logPath.replace(/\.log$/, '');
  return { stdout: `${base}.stdout`, stderr: `${base}.stderr` };
}

/** The current size of a file; 0 when it does not exist yet. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return 0;
    }
    throw err;
  }
}

/** Copies what is appended to `file` after `offset` into `dest` until stop(). */
export class OutputTail {
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private isStopped = false;

  constructor(
    private readonly file: string,
    private readonly dest: Writable,
    private offset: number,
    private readonly pollMs = DEFAULT_POLL_MS,
  ) {}

  start(): void {
    const tick = (): void => {
      this.reading = this.readNew()
        // A file that cannot be read ends this client's output, not the container.
        .catch((err: unknown) => this.fail(err))
        .finally(() => {
          if (!this.isStopped) {
            this.timer = setTimeout(tick, this.pollMs);
          }
        });
    };
    tick();
  }

  /** Stops polling; with `drain`, copies what is left first. Ends `dest` either way. */
  async stop(drain: boolean): Promise<void> {
    if (this.isStopped) {
      return;
    }
    this.isStopped = true;
    clearTimeout(this.timer);
    await this.reading;
    if (drain) {
      await this.readNew().catch((err: unknown) => this.fail(err));
    }
    this.dest.end();
  }

  private fail(err: unknown): void {
    this.isStopped = true;
    this.dest.destroy(err instanceof Error ? err : new Error(String(err)));
  }

  private async readNew(): Promise<void> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return;
      }
      throw err;
    }
    try {
      const { size } = await handle.stat();
      // The log pump truncates a raw file it has consumed past its cap; writes restart at 0.
      if (size < this.offset) {
        this.offset = 0;
      }
      while (this.offset < size && !this.dest.destroyed) {
        const buf = Buffer.alloc(Math.min(CHUNK_BYTES, size - this.offset));
        const { bytesRead } = await handle.read(buf, 0, buf.length, this.offset);
        if (bytesRead === 0) {
          break;
        }
        this.offset += bytesRead;
        this.dest.write(buf.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  }
}
