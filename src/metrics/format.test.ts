import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, goDuration } from './format.js';

describe('formatCpu (nanocores as metrics-server prints them)', () => {
  it.each<[number, string]>([
    [0, '0'],
    [1, '1n'],
    [12_345_678, '12345678n'],
    [1_230_000, '1230u'],
    [250_000_000, '250m'],
    [1_500_000_000, '1500m'],
    [2_000_000_000, '2'],
    [10_000_000_000, '10'],
    [12.9, '12n'],
  ])('%d -> %s', (n, text) => {
    expect(formatCpu(n)).toBe(text);
  });
});

describe('formatMemory (working-set bytes)', () => {
  it.each<[number, string]>([
    [0, '0'],
    [512, '512'],
    [1000, '1k'],
    [1024, '1Ki'],
    [5_242_880, '5Mi'],
    [5_246_976, '5124Ki'],
    [5_246_977, '5246977'],
    [3 * 1024 ** 3, '3Gi'],
  ])('%d -> %s', (n, text) => {
    expect(formatMemory(n)).toBe(text);
  });
});

describe('goDuration (time.Duration.String)', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [15_009, '15.009s'],
    [15_000, '15s'],
    [60_000, '1m0s'],
    [61_500, '1m1.5s'],
    [3_600_000, '1h0m0s'],
    [5_430_000, '1h30m30s'],
    [-2000, '-2s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
