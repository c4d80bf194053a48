// JSON merge patch: RFC 7386 appendix A examples plus upstream's null-pruning behaviour.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.js';
import { applyMergePatch } from './merge-patch.js';

// [description, target, patch, expected]; the first block restates RFC 7386 appendix A.
const cases: [string, unknown, unknown, unknown][] = [
  ['replace a value', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['add a value', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null deletes', { a: 'b' }, { a: null }, {}],
  ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['array replaces array', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['scalar replaced by array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['nested merge', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['array of objects replaced', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['empty patch changes nothing', { e: null }, {}, { e: null }],
  ['new nested object drops its nulls', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ['object replaces scalar, nulls dropped', { a: 1 }, { a: { b: null, c: 2 } }, { a: { c: 2 } }],
  ['new array drops null items (upstream)', {}, { a: [1, null, { b: null }] }, { a: [1, {}] }],
  ['array replacing an array drops nulls (upstream)', { a: [1] }, { a: [null, 2] }, { a: [2] }],
  [
    'array replacing an object keeps nulls (upstream)',
    { a: { b: 1 } },
    { a: [null] },
    { a: [null] },
  ],
  [
    'kubectl label app=web',
    { metadata: { name: 'x', labels: { tier: 'a' } } },
    { metadata: { labels: { app: 'web' } } },
    { metadata: { name: 'x', labels: { tier: 'a', app: 'web' } } },
  ],
  [
    'kubectl label tier-',
    { metadata: { name: 'x', labels: { tier: 'a' } } },
    { metadata: { labels: { tier: null } } },
    { metadata: { name: 'x', labels: {} } },
  ],
  [
    'kubectl scale',
    { spec: { replicas: 1 } },
    { spec: { replicas: 5 } },
    { spec: { replicas: 5 } },
  ],
];

describe('applyMergePatch', () => {
  it.each(cases)('%s', (_name, target, patch, expected) => {
    const before = structuredClone(target);
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(target).toEqual(before);
  });

  it.each([[null], ['x'], [1], [[{ a: 1 }]]])(
    'rejects a %j patch with 400 Invalid JSON Patch',
    (patch) => {
      expect(() => applyMergePatch({ a: 1 }, patch)).toThrow(
        expect.objectContaining({ code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' }),
      );
    },
  );

  it('keeps a __proto__ key as data', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('rejects deep nesting with 400 instead of overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) {
      deep = { a: deep };
    }
    expect(() => applyMergePatch({}, deep)).toThrow(ApiError);
  });
});
