// A stack of cleanups a benchmark run registers as it starts things; run in reverse on success,
// failure or Ctrl-C, so a bench never leaves processes or temp dirs behind.
const stack = [];
let inFlight;

/** Registers a cleanup (a function returning a promise). */
export function onCleanup(fn) {
  stack.push(fn);
}

/**
 * Runs every registered cleanup, newest first; failures are logged, not thrown. A second call
 * while a pass runs (Ctrl-C during the normal cleanup) waits for that pass instead of racing it.
 */
export function cleanupAll(log) {
  inFlight ??= (async () => {
    while (stack.length) {
      await stack
        .pop()()
        .catch((e) => log(`cleanup failed: ${e.message}`));
    }
  })().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

/** Cleans up and exits 130 on SIGINT / SIGTERM. */
export function cleanupOnSignals(log) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void cleanupAll(log).then(() => process.exit(130)));
  }
}
