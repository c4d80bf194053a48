import { describe, it, expect } from 'vitest';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [119 * s + 999, '119s'],
    [2 * m, '2m'],
    [2 * m + 1 * s, '2m1s'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 30 * s, '10m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 1 * m, '3h1m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 30 * m, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 1 * h, '2d1h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [8 * d + 23 * h, '8d'],
    [729 * d + 23 * h, '729d'],
    [2 * y, '2y'],
    [2 * y + 30 * d, '2y30d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y, '8y'],
    [8 * y + 100 * d, '8y'],
    [20 * y, '20y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2025-01-10T12:00:00Z');

  it.each([
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    ['2025-01-10T12:00:00Z', '0s'],
    ['2025-01-10T11:59:55Z', '5s'],
    ['2025-01-10T11:59:55.500000Z', '4s'],
    ['2025-01-10T12:00:01Z', '0s'],
    ['2025-01-10T12:00:05Z', '<invalid>'],
    ['2025-01-10T11:55:00Z', '5m'],
    ['2025-01-09T12:00:00Z', '24h'],
    ['2024-12-01T12:00:00Z', '40d'],
  ])('%s -> %s', (ts, want) => {
    expect(translateTimestampSince(ts, now)).toBe(want);
  });
});

describe('parseTime', () => {
  it('ignores non-strings', () => {
    expect(parseTime(42)).toBeUndefined();
    expect(parseTime(null)).toBeUndefined();
    expect(parseTime('2025-01-10T12:00:00Z')).toBe(Date.UTC(2025, 0, 10, 12));
  });
});
