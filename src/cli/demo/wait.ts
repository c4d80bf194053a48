// Polling with a deadline for the demo: every wait says what it waits for, shows progress, stops
// on Ctrl-C, and fails with a message naming what did not happen in time.

/** A wait that ran out of time; the message says what was awaited. */
export class DemoTimeoutError extends Error {
  readonly code = 'DEMO_TIMEOUT';
}

/** Ctrl-C (or SIGTERM) during the demo. */
export class DemoInterrupted extends Error {
  readonly code = 'DEMO_INTERRUPTED';
}

export interface WaitOptions<T> {
  /** What is awaited, as in "timed out after 60s waiting for <what>". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal: AbortSignal;
  /** Resolves with a value when done, undefined to poll again. */
  check: () => Promise<T | undefined> | T | undefined;
  /** Called after each unsuccessful check with the elapsed time. */
  onPoll?: (elapsedMs: number) => void;
}

/** Sleeps ms, or rejects with DemoInterrupted when the signal aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    return Promise.reject(new DemoInterrupted('interrupted'));
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DemoInterrupted('interrupted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls check until it yields a value; throws DemoTimeoutError after timeoutMs. */
export async function waitUntil<T>(opts: WaitOptions<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (opts.signal.aborted) {
      throw new DemoInterrupted('interrupted');
    }
    const value = await opts.check();
    if (value !== undefined) {
      return value;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= opts.timeoutMs) {
      throw new DemoTimeoutError(
        `timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.what}`,
      );
    }
    opts.onPoll?.(elapsed);
    await sleep(Math.min(opts.intervalMs ?? 500, opts.timeoutMs - elapsed), opts.signal);
  }
}
