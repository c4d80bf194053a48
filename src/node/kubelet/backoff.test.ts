import { describe, expect, it } from 'vitest';
import { backoffText, RestartBackoff } from './backoff.js';

function clockAt(ms: number): { now: () => Date; set(ms: number): void } {
  let t = ms;
  return { now: () => new Date(t), set: (v) => (t = v) };
}

describe('RestartBackoff', () => {
  it('lets the first restart through, then doubles from 10 s to 5 min', () => {
    const clock = clockAt(0);
    const b = new RestartBackoff(clock);
    const seen: number[] = [];
    // A container that fails the moment it starts: each check comes when the backoff ends.
    let failedAt = 0;
    for (let i = 0; i < 8; i++) {
      clock.set(failedAt + b.currentMs('k'));
      expect(b.isInBackOffSince('k', new Date(failedAt))).toBe(false);
      b.next('k', new Date(failedAt));
      seen.push(b.currentMs('k'));
      failedAt = clock.now().getTime();
      expect(b.isInBackOffSince('k', new Date(failedAt))).toBe(true);
    }
    expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('is in backoff within the delay after a failure, and out of it after', () => {
    const clock = clockAt(1_000);
    const b = new RestartBackoff(clock, 1_000, 4_000);
    b.next('k', new Date(0));
    expect(b.isInBackOffSince('k', new Date(500))).toBe(true);
    expect(b.remainingMs('k', new Date(500))).toBe(500);
    clock.set(1_600);
    expect(b.isInBackOffSince('k', new Date(500))).toBe(false);
  });

  it('starts over once an entry has not moved for twice the maximum (10 min running)', () => {
    const clock = clockAt(0);
    const b = new RestartBackoff(clock);
    b.next('k', new Date(0));
    b.next('k', new Date(1_000));
    expect(b.currentMs('k')).toBe(20_000);
    const later = new Date(1_000 + 600_001);
    clock.set(later.getTime());
    expect(b.isInBackOffSince('k', later)).toBe(false);
    b.next('k', later);
    expect(b.currentMs('k')).toBe(10_000);
  });

  it('forgets the keys of a pod', () => {
    const b = new RestartBackoff(clockAt(0));
    b.next('uid/a', new Date(0));
    b.next('other/a', new Date(0));
    b.forget('uid/');
    expect(b.currentMs('uid/a')).toBe(0);
    expect(b.currentMs('other/a')).toBe(10_000);
  });

  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(backoffText(ms)).toBe(text);
  });
});
