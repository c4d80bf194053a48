import { describe, expect, it } from 'vitest';
import { DemoInterrupted, DemoTimeoutError, sleep, waitUntil } from './wait.js';

describe('waitUntil', () => {
  it('resolves with the first value and reports polls before it', async () => {
    let calls = 0;
    const polls: number[] = [];
    const value = await waitUntil({
      what: 'the third call',
      timeoutMs: 5_000,
      intervalMs: 1,
      signal: new AbortController().signal,
      check: () => (++calls === 3 ? 'done' : undefined),
      onPoll: (ms) => polls.push(ms),
    });
    expect(value).toBe('done');
    expect(polls).toHaveLength(2);
  });

  it('fails naming what it waited for', async () => {
    const wait = waitUntil({
      what: '2 ready pods of web',
      timeoutMs: 30,
      intervalMs: 5,
      signal: new AbortController().signal,
      check: () => undefined,
    });
    await expect(wait).rejects.toThrow(DemoTimeoutError);
    await expect(wait).rejects.toThrow('timed out after 0s waiting for 2 ready pods of web');
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const wait = waitUntil({
      what: 'never',
      timeoutMs: 60_000,
      intervalMs: 10_000,
      signal: controller.signal,
      check: () => undefined,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(wait).rejects.toThrow(DemoInterrupted);
  });
});

describe('sleep', () => {
  it('rejects at once on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sleep(10_000, controller.signal)).rejects.toThrow(DemoInterrupted);
  });
});
