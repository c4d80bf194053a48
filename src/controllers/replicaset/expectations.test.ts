// ControllerExpectations: counting creates and deletes in flight, expiry, per-pod deletes.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../lib/clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

class FakeClock implements Clock {
  constructor(public ms = Date.parse('2025-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
}

type Step = (e: ControllerExpectations, clock: FakeClock) => void;
const KEY = 'default/web';

describe('ControllerExpectations', () => {
  it.each<[string, Step[], boolean]>([
    ['never set', [], true],
    ['creations pending', [(e) => e.expectCreations(KEY, 2)], false],
    [
      'one of two creations seen',
      [(e) => e.expectCreations(KEY, 2), (e) => e.creationObserved(KEY)],
      false,
    ],
    [
      'all creations seen',
      [
        (e) => e.expectCreations(KEY, 2),
        (e) => e.creationObserved(KEY),
        (e) => e.creationObserved(KEY),
      ],
      true,
    ],
    ['zero creations', [(e) => e.expectCreations(KEY, 0)], true],
    [
      'creations lowered for skipped pods',
      [(e) => e.expectCreations(KEY, 3), (e) => e.lower(KEY, 3, 0)],
      true,
    ],
    ['deletions pending', [(e) => e.expectDeletions(KEY, ['default/a', 'default/b'])], false],
    [
      'deletion of an unexpected pod does not count',
      [(e) => e.expectDeletions(KEY, ['default/a']), (e) => e.deletionObserved(KEY, 'default/x')],
      false,
    ],
    [
      'each deletion counted once',
      [
        (e) => e.expectDeletions(KEY, ['default/a', 'default/b']),
        (e) => e.deletionObserved(KEY, 'default/a'),
        (e) => e.deletionObserved(KEY, 'default/a'),
      ],
      false,
    ],
    [
      'all deletions seen',
      [
        (e) => e.expectDeletions(KEY, ['default/a', 'default/b']),
        (e) => e.deletionObserved(KEY, 'default/a'),
        (e) => e.deletionObserved(KEY, 'default/b'),
      ],
      true,
    ],
    [
      'new expectations replace old ones',
      [(e) => e.expectDeletions(KEY, ['default/a']), (e) => e.expectCreations(KEY, 0)],
      true,
    ],
    [
      'expired',
      [(e) => e.expectCreations(KEY, 1), (_e, c) => (c.ms += EXPECTATIONS_TIMEOUT_MS + 1)],
      true,
    ],
    [
      'not yet expired',
      [(e) => e.expectCreations(KEY, 1), (_e, c) => (c.ms += EXPECTATIONS_TIMEOUT_MS)],
      false,
    ],
    ['deleted', [(e) => e.expectCreations(KEY, 1), (e) => e.deleteExpectations(KEY)], true],
  ])('%s: satisfied is %s', (_name, steps, want) => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    steps.forEach((s) => s(e, clock));
    expect(e.satisfiedExpectations(KEY)).toBe(want);
  });

  it('keeps keys apart and reports counts', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectCreations(KEY, 2);
    e.expectDeletions('other/rs', ['other/p']);
    e.creationObserved(KEY);
    expect(e.get(KEY)).toEqual({ add: 1, del: 0 });
    expect(e.get('other/rs')).toEqual({ add: 0, del: 1 });
    expect(e.get('none/rs')).toBeUndefined();
    e.creationObserved('none/rs');
    expect(e.get('none/rs')).toBeUndefined();
  });
});
