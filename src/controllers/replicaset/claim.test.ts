// Wording helpers of claiming: Go-style times and aggregated errors.
import { describe, expect, it } from 'vitest';
import { ClaimPodsError, goTime } from './claim.js';

describe('goTime', () => {
  it.each([
    ['2025-06-15T12:00:00Z', '2025-06-15 12:00:00 +0000 UTC'],
    ['2025-06-15T12:00:00.250Z', '2025-06-15 12:00:00.25 +0000 UTC'],
    ['2025-06-15T14:00:00+02:00', '2025-06-15 12:00:00 +0000 UTC'],
    ['not a time', 'not a time'],
  ])('%s prints as %s', (iso, want) => {
    expect(goTime(iso)).toBe(want);
  });
});

describe('ClaimPodsError', () => {
  it.each([
    [[new Error('a')], 'a'],
    [[new Error('a'), 'b'], '[a, b]'],
  ])('words %j as %s', (errors, want) => {
    expect(new ClaimPodsError(errors).message).toBe(want);
  });
});
