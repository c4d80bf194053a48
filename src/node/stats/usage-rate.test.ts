import { describe, expect, it } from 'vitest';
import { appendReading, historyRate, latestRate, usageRate } from './usage-rate.js';
import type { Reading } from './usage-rate.js';

const mem = { usageBytes: 0, workingSetBytes: 0, rssBytes: 0 };
const r = (atMs: number, cpuNs: number, startMs = 0): Reading => ({
  timestamp: new Date(atMs),
  startTime: new Date(startMs),
  usageCoreNanoSeconds: cpuNs,
  memory: mem,
});

describe('usageRate', () => {
  it.each([
    { name: 'half a core', prev: r(10_000, 1e9), last: r(20_000, 6e9), want: 5e8, window: 10_000 },
    { name: 'idle', prev: r(0, 7), last: r(1000, 7), want: 0, window: 1000 },
    { name: 'truncated', prev: r(0, 0), last: r(3000, 1e9), want: 333_333_333, window: 3000 },
  ])('is $name', ({ prev, last, want, window }) =>
    expect(usageRate(prev, last)).toEqual({ usageNanoCores: want, windowMs: window }),
  );

  it.each([
    { name: 'a restart', prev: r(0, 5e9, 0), last: r(1000, 6e9, 500) },
    { name: 'a counter that went down', prev: r(0, 5e9), last: r(1000, 4e9) },
    { name: 'no time between readings', prev: r(1000, 1e9), last: r(1000, 2e9) },
  ])('is undefined across $name', ({ prev, last }) =>
    expect(usageRate(prev, last)).toBeUndefined(),
  );
});

describe('appendReading', () => {
  it('keeps at most max readings, oldest first', () => {
    let h: Reading[] = [];
    for (let i = 0; i < 5; i++) {
      h = appendReading(h, r(i * 1000, i * 1e8), 3);
    }
    expect(h.map((x) => x.timestamp.getTime())).toEqual([2000, 3000, 4000]);
    expect(latestRate(h)).toEqual({ usageNanoCores: 1e8, windowMs: 1000 });
    expect(historyRate(h)).toEqual({ usageNanoCores: 1e8, windowMs: 2000 });
  });

  it('keeps two readings even when asked for fewer', () => {
    const h = appendReading(appendReading([], r(0, 0), 1), r(1000, 1e9), 1);
    expect(latestRate(h)).toEqual({ usageNanoCores: 1e9, windowMs: 1000 });
  });

  it('starts over after a restart, so no rate spans two runs', () => {
    const h = appendReading([r(0, 0), r(1000, 1e9)], r(2000, 1e8, 1500), 5);
    expect(h).toHaveLength(1);
    expect(latestRate(h)).toBeUndefined();
  });

  it('ignores a reading that is not newer than the last one', () => {
    const h = appendReading([r(0, 0), r(1000, 1e9)], r(1000, 2e9), 5);
    expect(h.map((x) => x.usageCoreNanoSeconds)).toEqual([0, 1e9]);
  });
});
