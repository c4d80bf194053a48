// CLI plumbing: output, usage errors, polling with a deadline.

export interface Output {
  print(line: string): void;
  error(line: string): void;
}

export const stdio: Output = {
  print: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** A mistake in how kubeproc was invoked: printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** Polls check every 50 ms until it returns a value; throws after timeoutMs. */
export async function waitFor<T>(timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
