// JSON patch: RFC 6902 appendix A, upstream's quirks (negative indices), and the status codes
// kube-apiserver answers with.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

// [description, target, ops, expected]; the RFC 6902 appendix A successes first.
const ok: [string, unknown, unknown, unknown][] = [
  [
    'add an object member',
    { foo: 'bar' },
    [{ op: 'add', path: '/baz', value: 'qux' }],
    { foo: 'bar', baz: 'qux' },
  ],
  [
    'add an array element',
    { foo: ['bar', 'baz'] },
    [{ op: 'add', path: '/foo/1', value: 'qux' }],
    { foo: ['bar', 'qux', 'baz'] },
  ],
  [
    'remove an object member',
    { baz: 'qux', foo: 'bar' },
    [{ op: 'remove', path: '/baz' }],
    { foo: 'bar' },
  ],
  [
    'remove an array element',
    { foo: ['bar', 'qux', 'baz'] },
    [{ op: 'remove', path: '/foo/1' }],
    { foo: ['bar', 'baz'] },
  ],
  [
    'replace a value',
    { baz: 'qux', foo: 'bar' },
    [{ op: 'replace', path: '/baz', value: 'boo' }],
    { baz: 'boo', foo: 'bar' },
  ],
  [
    'move a value',
    { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  ],
  [
    'move an array element',
    { foo: ['all', 'grass', 'cows', 'eat'] },
    [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    { foo: ['all', 'cows', 'eat', 'grass'] },
  ],
  [
    'test succeeds',
    { baz: 'qux', foo: ['a', 2, 'c'] },
    [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    { baz: 'qux', foo: ['a', 2, 'c'] },
  ],
  [
    'add a nested member object',
    { foo: 'bar' },
    [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    { foo: 'bar', child: { grandchild: {} } },
  ],
  [
    '~1 and ~0 escapes',
    { 'a/b': 1, 'm~n': 2 },
    [
      { op: 'replace', path: '/a~1b', value: 3 },
      { op: 'remove', path: '/m~0n' },
    ],
    { 'a/b': 3 },
  ],
  [
    'add to the end with -',
    { foo: [1] },
    [{ op: 'add', path: '/foo/-', value: 2 }],
    { foo: [1, 2] },
  ],
  [
    'copy a value',
    { a: { b: 1 } },
    [{ op: 'copy', from: '/a', path: '/c' }],
    { a: { b: 1 }, c: { b: 1 } },
  ],
  // evanphx/json-patch v4 behaviour that kube-apiserver exposes
  [
    'negative index counts from the end',
    { foo: [1, 2, 3] },
    [{ op: 'remove', path: '/foo/-1' }],
    { foo: [1, 2] },
  ],
  [
    'replace of an absent key adds it',
    { a: 1 },
    [{ op: 'replace', path: '/b', value: 2 }],
    { a: 1, b: 2 },
  ],
  [
    'test of an absent key against null passes',
    { a: 1 },
    [{ op: 'test', path: '/b', value: null }],
    { a: 1 },
  ],
  ['null op list is a no-op', { a: 1 }, null, { a: 1 }],
  [
    'kubectl rollout undo',
    {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: {
        replicas: 3,
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } },
      },
    },
    [
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
        },
      },
      {
        op: 'replace',
        path: '/metadata/annotations',
        value: { 'deployment.kubernetes.io/revision': '1' },
      },
    ],
    {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas: 3,
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
        },
      },
    },
  ],
];

describe('applyJsonPatch: success', () => {
  it.each(ok)('%s', (_name, target, ops, expected) => {
    const before = structuredClone(target);
    expect(applyJsonPatch(target, ops)).toEqual(expected);
    expect(target).toEqual(before);
  });
});

const generic422 = 'the server rejected our request due to an error in our request';

// [description, ops, code, reason, message, inner message]
const failures: [string, unknown, number, string, string, string | undefined][] = [
  [
    'a failed test',
    [{ op: 'test', path: '/spec/replicas', value: 5 }],
    422,
    'Invalid',
    generic422,
    'testing value /spec/replicas failed: test failed',
  ],
  [
    'add below a missing parent',
    [{ op: 'add', path: '/spec/foo/bar', value: 1 }],
    422,
    'Invalid',
    generic422,
    'add operation does not apply: doc is missing path: /spec/foo/bar: missing value',
  ],
  [
    'remove of a missing key',
    [{ op: 'remove', path: '/spec/nothing' }],
    422,
    'Invalid',
    generic422,
    'Unable to remove nonexistent key: nothing: missing value',
  ],
  [
    'replace past the end of an array',
    [{ op: 'replace', path: '/spec/list/5', value: 1 }],
    422,
    'Invalid',
    generic422,
    'replace operation does not apply: doc is missing key: /spec/list/5',
  ],
  [
    'add with a non-numeric index',
    [{ op: 'add', path: '/spec/list/x', value: 1 }],
    422,
    'Invalid',
    generic422,
    `value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
  ],
  [
    'an unknown op',
    [{ op: 'frobnicate', path: '/a' }],
    422,
    'Invalid',
    generic422,
    'Unexpected kind: frobnicate',
  ],
  [
    'an op without path',
    [{ op: 'add', value: 1 }],
    422,
    'Invalid',
    generic422,
    'add operation failed to decode path: missing value',
  ],
  [
    'a __proto__ segment',
    [{ op: 'add', path: '/spec/__proto__/x', value: 1 }],
    422,
    'Invalid',
    generic422,
    undefined,
  ],
  [
    'an object instead of a list',
    { op: 'add', path: '/a', value: 1 },
    400,
    'BadRequest',
    'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    undefined,
  ],
  [
    'a string operation',
    ['add'],
    400,
    'BadRequest',
    'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    undefined,
  ],
];

describe('applyJsonPatch: failures', () => {
  const target = { spec: { replicas: 3, list: [1, 2] } };
  it.each(failures)('%s', (_name, ops, code, reason, message, inner) => {
    let caught: unknown;
    try {
      applyJsonPatch(target, ops);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const err = caught as ApiError;
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({
      code,
      reason,
      message,
    });
    if (inner !== undefined) {
      expect((err.cause as Error).message).toBe(inner);
    }
  });

  it('uses the strict decoder wording under fieldValidation=Strict', () => {
    expect(() => applyJsonPatch(target, { op: 'add' }, { strict: true })).toThrow(
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
    expect(() => applyJsonPatch(target, [{ op: 1, path: '/a' }], { strict: true })).toThrow(
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
    );
  });

  it('bounds the number of operations with 413', () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '/spec/replicas',
      value: 3,
    }));
    expect(() => applyJsonPatch(target, ops)).toThrow(
      expect.objectContaining({
        code: 413,
        reason: 'RequestEntityTooLarge',
        message:
          'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
      }),
    );
    expect(applyJsonPatch(target, ops.slice(1))).toEqual(target);
  });

  it('bounds the bytes copy operations may add', () => {
    const big = { blob: 'x'.repeat(1024 * 1024) };
    const ops = Array.from({ length: 4 }, (_v, i) => ({
      op: 'copy',
      from: '/blob',
      path: `/c${i}`,
    }));
    expect(() => applyJsonPatch(big, ops)).toThrow(expect.objectContaining({ code: 422 }));
    expect(Object.keys(applyJsonPatch(big, ops.slice(0, 2)) as object)).toEqual([
      'blob',
      'c0',
      'c1',
    ]);
  });

  it('rejects a result nested too deep with 400', () => {
    const ops = Array.from({ length: 150 }, (_v, i) => ({
      op: 'add',
      path: `${'/a'.repeat(i + 1)}`,
      value: {},
    }));
    expect(() => applyJsonPatch({}, ops)).toThrow(expect.objectContaining({ code: 400 }));
  });
});
