// slowStartBatch (upstream controller_utils): run `count` calls in batches of 1, 2, 4 ... so a
// failing call (e.g. quota, invalid template) stops the burst early instead of failing N times.

/** Returns how many calls succeeded; stops after the first batch with a failure. */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (
    let batch = Math.min(remaining, initialBatchSize);
    batch > 0;
    batch = Math.min(2 * batch, remaining)
  ) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) {
      return { successes, error: failed.reason };
    }
    remaining -= batch;
  }
  return { successes };
}
