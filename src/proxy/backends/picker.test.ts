import { describe, expect, it } from 'vitest';
import { PassiveHealth } from './health.js';
import { BackendPicker } from './picker.js';
import type { Backend } from './types.js';

function backend(port: number): Backend {
  return {
    key: `127.0.0.1:${port}`,
    address: '127.0.0.1',
    port,
    pod: `default/p${port}`,
    ready: true,
    serving: true,
    terminating: false,
  };
}

const [a, b, c] = [backend(1), backend(2), backend(3)];
const all = [a, b, c] as Backend[];
const ports = (list: (Backend | undefined)[]) => list.map((x) => x?.port ?? 0);

describe('BackendPicker', () => {
  it('goes round-robin and skips what this request already tried', () => {
    const picker = new BackendPicker(new PassiveHealth(1000, 10_000));
    const picks = Array.from({ length: 6 }, () => picker.pick(all, { nowMs: 0 }));
    expect(ports(picks)).toEqual([1, 2, 3, 1, 2, 3]);
    const tried = new Set([a?.key ?? '', b?.key ?? '']);
    expect(picker.pick(all, { nowMs: 0, tried })?.port).toBe(3);
    tried.add(c?.key ?? '');
    expect(picker.pick(all, { nowMs: 0, tried })).toBeUndefined();
    expect(picker.pick([], { nowMs: 0 })).toBeUndefined();
  });

  it('skips ejected backends until their ejection ends, and uses the first back when all are out', () => {
    const health = new PassiveHealth(1000, 10_000);
    const picker = new BackendPicker(health);
    health.fail(a?.key ?? '', 0);
    expect(ports(Array.from({ length: 4 }, () => picker.pick(all, { nowMs: 10 })))).toEqual([
      2, 3, 2, 3,
    ]);
    expect(ports(Array.from({ length: 3 }, () => picker.pick(all, { nowMs: 1000 })))).toEqual([
      1, 2, 3,
    ]);
    health.fail(a?.key ?? '', 2000); // second failure in a row: 2 s
    health.fail(b?.key ?? '', 2500);
    health.fail(c?.key ?? '', 2600);
    expect(picker.pick(all, { nowMs: 2700 })?.port).toBe(2); // back at 3500, a at 4000
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 10_000],
  ])('after %i failures a backend is out for %i ms, and a success clears it', (n, ms) => {
    const health = new PassiveHealth(1000, 10_000);
    for (let i = 0; i < n; i++) {
      health.fail('k', 0);
    }
    expect(health.isEjected('k', ms - 1)).toBe(true);
    expect(health.isEjected('k', ms)).toBe(false);
    health.sweep(ms + 10_000);
    expect(health.size).toBe(1); // ended, but not long enough ago
    health.sweep(ms + 10_001);
    expect(health.size).toBe(0);
    health.fail('k', 0);
    health.reset('k');
    expect(health.isEjected('k', 0)).toBe(false);
    expect(health.size).toBe(0);
  });

  it('keeps a client on its backend with ClientIP affinity until the timeout or a failure', () => {
    const health = new PassiveHealth(1000, 10_000);
    const picker = new BackendPicker(health, 5000);
    const first = picker.pick(all, { nowMs: 0, clientIp: '10.0.0.1' });
    const other = picker.pick(all, { nowMs: 0, clientIp: '10.0.0.2' });
    expect(other?.key).not.toBe(first?.key);
    for (let t = 1; t < 5; t++) {
      expect(picker.pick(all, { nowMs: t * 1000, clientIp: '10.0.0.1' })).toBe(first);
    }
    health.fail(first?.key ?? '', 5000);
    const moved = picker.pick(all, { nowMs: 5001, clientIp: '10.0.0.1' });
    expect(moved?.key).not.toBe(first?.key);
    expect(picker.pick(all, { nowMs: 6000, clientIp: '10.0.0.1' })).toBe(moved);
  });

  it('forgets an affinity entry after its timeout', () => {
    const picker = new BackendPicker(new PassiveHealth(1000, 10_000), 5000);
    const two = [a, b] as Backend[];
    expect(picker.pick(two, { nowMs: 0, clientIp: 'c1' })?.port).toBe(1);
    expect(picker.pick(two, { nowMs: 0, clientIp: 'c2' })?.port).toBe(2);
    expect(picker.pick(two, { nowMs: 0, clientIp: 'c3' })?.port).toBe(1);
    expect(picker.pick(two, { nowMs: 4000, clientIp: 'c1' })?.port).toBe(1);
    // Round-robin would give 2 next: c1 sticks to 1 within the timeout, not after it.
    expect(picker.pick(two, { nowMs: 9001, clientIp: 'c1' })?.port).toBe(2);
  });
});
