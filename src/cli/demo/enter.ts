// `--step`: waits for Enter between steps. One reader for the whole demo, so lines typed (or
// piped) ahead are kept, and an ended stdin lets the demo go on instead of hanging.
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DemoInterrupted } from './wait.js';

export class EnterReader {
  private rl: Interface | undefined;
  private readonly lines: string[] = [];
  private isClosed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly input: Readable) {}

  /** Resolves on the next line (or at once if one is waiting, or stdin has ended). */
  async next(signal: AbortSignal): Promise<void> {
    this.open();
    while (this.lines.length === 0 && !this.isClosed) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new DemoInterrupted('interrupted'));
        signal.addEventListener('abort', onAbort, { once: true });
        this.wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    }
    this.lines.shift();
  }

  close(): void {
    this.rl?.close();
  }

  private open(): void {
    if (this.rl) {
      return;
    }
    this.rl = createInterface({ input: this.input });
    this.rl.on('line', (line) => {
      this.lines.push(line);
      this.wake?.();
    });
    this.rl.on('close', () => {
      this.isClosed = true;
      this.wake?.();
    });
  }
}
