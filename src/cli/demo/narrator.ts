// How the demo talks: numbered steps, plain sentences, `$ command` lines with the command's
// output indented below, and one progress line while waiting (rewritten in place on a terminal,
// printed every few seconds otherwise, so logs stay short).

/** Where the demo writes; `isTTY` allows rewriting the progress line in place. */
export interface Terminal {
  write(text: string): void;
  isTTY: boolean;
}

const PROGRESS_EVERY_MS = 5_000;

/** `1m05s` or `42.3s`: durations as the demo reports them. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1)}s`;
  }
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Each line of `text` indented by two spaces; blank lines and trailing newlines dropped. */
export function indent(text: string): string[] {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `  ${l}`);
}

export class Narrator {
  private hasProgressLine = false;
  private lastProgressMs = -Infinity;

  constructor(
    private readonly term: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  /** A step header: `=== 3/6 Kill python3 in one pod`. */
  step(index: number, total: number, title: string): void {
    this.heading(`${index}/${total} ${title}`);
  }

  /** A header without a number: `=== Summary`. */
  heading(title: string): void {
    this.line('');
    this.line(`=== ${title}`);
  }

  /** Plain narration. */
  say(text: string): void {
    this.line(text);
  }

  /** A command as a user would type it, then its output (if any) indented. */
  command(cmd: string, output?: string): void {
    this.line(`$ ${cmd}`);
    if (output !== undefined) {
      this.output(output);
    }
  }

  /** Command output or similar detail, indented by two spaces. */
  output(text: string): void {
    for (const l of indent(text)) {
      this.line(l);
    }
  }

  /** A status line while waiting: rewritten in place on a terminal, else every 5 s at most. */
  progress(text: string): void {
    if (this.term.isTTY) {
      this.term.write(`\r\x1b[K  ... ${text}`);
      this.hasProgressLine = true;
      return;
    }
    const now = this.now();
    if (now - this.lastProgressMs >= PROGRESS_EVERY_MS) {
      this.lastProgressMs = now;
      this.term.write(`  ... ${text}\n`);
    }
  }

  /** Forgets the progress line, so the next wait prints its first status at once. */
  endProgress(): void {
    this.clearProgress();
    this.lastProgressMs = -Infinity;
  }

  private clearProgress(): void {
    if (this.hasProgressLine) {
      this.term.write('\r\x1b[K');
      this.hasProgressLine = false;
    }
  }

  private line(text: string): void {
    this.clearProgress();
    this.term.write(`${text}\n`);
  }
}
