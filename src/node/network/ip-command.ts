// Runs iproute2 and util-linux commands for pod networking, with their stderr in the error, so a
// failed step says what the kernel said ("RTNETLINK answers: File exists").
import { spawn } from 'node:child_process';

/** A command that exited non-zero; `stderr` holds its message. */
export class CommandError extends Error {
  readonly code = 'CommandFailed';

  constructor(
    readonly argv: string[],
    readonly stderr: string,
    status: number | null,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || `exit status ${String(status)}`}`);
    this.name = 'CommandError';
  }
}

/** Runs `file args...` with optional stdin; resolves with stdout, rejects with CommandError. */
export function runCommand(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new CommandError([file, ...args], err, code)),
    );
    if (child.stdin) {
      // A command that fails early closes its stdin: its exit status tells why, not EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** Runs a command whose failure only means "already so" (a link or netns that is gone). */
export async function runIgnoringMissing(file: string, args: string[]): Promise<void> {
  try {
    await runCommand(file, args);
  } catch (err) {
    if (!(err instanceof CommandError) || !isMissing(err.stderr)) {
      throw err;
    }
  }
}

function isMissing(stderr: string): boolean {
  return /Cannot find device|No such file|does not exist|Cannot open network namespace|not mounted|no mount point|Cannot assign requested address/i.test(
    stderr,
  );
}
