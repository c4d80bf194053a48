import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnterReader } from './enter.js';
import { DemoInterrupted } from './wait.js';

describe('EnterReader', () => {
  it('waits for each line, keeps lines typed ahead, and goes on once input ends', async () => {
    const input = new PassThrough();
    const reader = new EnterReader(input);
    const signal = new AbortController().signal;
    let passed = 0;
    const first = reader.next(signal).then(() => passed++);
    await new Promise((r) => setTimeout(r, 20));
    expect(passed).toBe(0);
    input.write('\n\n');
    await first;
    await reader.next(signal);
    input.end();
    await reader.next(signal);
    await reader.next(signal);
    expect(passed).toBe(1);
    reader.close();
  });

  it('stops waiting on Ctrl-C', async () => {
    const reader = new EnterReader(new PassThrough());
    const controller = new AbortController();
    const wait = reader.next(controller.signal);
    controller.abort();
    await expect(wait).rejects.toThrow(DemoInterrupted);
    reader.close();
  });
});
