import { describe, it, expect } from 'vitest';
import { formatQuantity } from './quantity.js';

describe('formatQuantity', () => {
  it.each<[unknown, string]>([
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1000m', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['120000', '120k'],
    ['1k', '1k'],
    ['1000k', '1M'],
    ['100u', '100u'],
    ['0.1m', '100u'],
    ['0.0000000001', '1n'],
    ['-0.5', '-500m'],
    ['+100m', '+100m'],
    ['0', '0'],
    ['0.0', '0'],
    ['250Mi', '250Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['2048Ki', '2Mi'],
    ['12Ki', '12Ki'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['1e3', '1e3'],
    ['10e2', '1e3'],
    ['1e2', '100'],
    [0.25, '250m'],
    [2, '2'],
    [undefined, '<nil>'],
    [null, '<nil>'],
    ['abc', 'abc'],
  ])('%s -> %s', (raw, want) => {
    expect(formatQuantity(raw)).toBe(want);
  });
});
