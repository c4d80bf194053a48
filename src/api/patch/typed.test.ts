// Typed walks for server-side apply: merge order of associative lists (structured-merge-diff's
// merge table), field sets of configurations, comparisons and item removal.
import { describe, expect, it } from 'vitest';
import { FieldSet, fieldPE, keyPE } from './field-set.js';
import { SCALAR, type ListNode, type StructNode, type TypeNode } from './schema.js';
import { removeItems, toFieldSet } from './typed.js';
import { compareObjects } from './typed-compare.js';
import { mergeObjects } from './typed-merge.js';

function struct(name: string, fields: Record<string, TypeNode>): StructNode {
  return {
    kind: 'struct',
    name,
    isAtomic: false,
    patchStrategy: undefined,
    field: (f) => fields[f],
    isValueField: () => false,
  };
}

const element = struct('element', { key: SCALAR, id: SCALAR, bv: SCALAR, nv: SCALAR });
const keyed: ListNode = {
  kind: 'list',
  elem: element,
  patchStrategy: 'merge',
  mergeKey: 'key',
  listType: 'map',
  keys: ['key', 'id'],
  keyDefaults: new Map(),
};
const set: ListNode = { ...keyed, elem: SCALAR, listType: 'set', keys: [] };
const root = struct('root', { list: keyed, tags: set, name: SCALAR });

// [live, config, merged], from structured-merge-diff's associative list table.
const mergeCases: [string, string, string][] = [
  ['[{"key":"a","id":1}]', '[{"key":"a","id":2}]', '[{"key":"a","id":1},{"key":"a","id":2}]'],
  [
    '[{"key":"a","id":1},{"key":"b","id":1}]',
    '[{"key":"a","id":1},{"key":"a","id":2}]',
    '[{"key":"a","id":1},{"key":"b","id":1},{"key":"a","id":2}]',
  ],
  [
    '[{"key":"b","id":2}]',
    '[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]',
    '[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]',
  ],
  [
    '[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]',
    '[{"key":"c","id":3},{"key":"b","id":2}]',
    '[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]',
  ],
  [
    '[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]',
    '[{"key":"c","id":3},{"key":"a","id":1}]',
    '[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]',
  ],
  [
    '[{"key":"a","id":1,"bv":true},{"key":"b","id":2},{"key":"a","id":1,"bv":false,"nv":2}]',
    '[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]',
    '[{"key":"a","id":1,"nv":3},{"key":"c","id":3},{"key":"b","id":2}]',
  ],
  [
    '[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]',
    '[]',
    '[{"key":"a","id":1,"nv":1},{"key":"a","id":1,"nv":2}]',
  ],
];

describe('typed merge', () => {
  it.each(mergeCases)('%s + %s', (live, config, merged) => {
    const out = mergeObjects({ list: JSON.parse(live) }, { list: JSON.parse(config) }, root);
    expect(out).toEqual({ list: JSON.parse(merged) });
  });

  it('merges sets by value and scalars from the config', () => {
    const out = mergeObjects(
      { tags: ['a', 'b'], name: 'x' },
      { tags: ['c', 'a'], name: 'y' },
      root,
    );
    expect(out).toEqual({ tags: ['c', 'a', 'b'], name: 'y' });
  });
});

describe('typed field sets', () => {
  it('owns keyed items and set values as members', () => {
    const fields = toFieldSet({ list: [{ key: 'a', id: 1, nv: 2 }], tags: ['x'] }, root, true);
    expect(fields.toFieldsV1()).toEqual({
      'f:list': { 'k:{"id":1,"key":"a"}': { '.': {}, 'f:id': {}, 'f:key': {}, 'f:nv': {} } },
      'f:tags': { 'v:"x"': {} },
    });
  });

  it.each([
    [
      { list: [{ nv: 1 }] },
      '.list: element 0: associative list with keys has an element that omits all key fields ["key" "id"] (and doesn\'t have default values for any key fields)',
    ],
    [
      { tags: [{ a: 1 }] },
      ".tags: element 0: associative list without keys has an element that's a map type",
    ],
    [{ bogus: 1 }, '.bogus: field not declared in schema'],
  ])('rejects %j in a configuration', (config, message) => {
    expect(() => toFieldSet(config, root, true)).toThrow(message);
  });

  it('treats key-less live lists as atomic instead of failing', () => {
    expect(toFieldSet({ list: [{ nv: 1 }] }, root, false).toFieldsV1()).toEqual({ 'f:list': {} });
  });
});

describe('typed comparison and removal', () => {
  it('reports added, modified and removed paths', () => {
    const cmp = compareObjects(
      {
        name: 'a',
        list: [
          { key: 'a', id: 1, nv: 1 },
          { key: 'b', id: 1 },
        ],
      },
      {
        list: [
          { key: 'a', id: 1, nv: 2 },
          { key: 'c', id: 1 },
        ],
      },
      root,
    );
    const a = keyPE({ id: 1, key: 'a' });
    expect(cmp.modified.paths()).toEqual([[fieldPE('list'), a, fieldPE('nv')]]);
    expect(cmp.added.toFieldsV1()).toEqual({
      'f:list': { 'k:{"id":1,"key":"c"}': { '.': {}, 'f:id': {}, 'f:key': {} } },
    });
    expect(cmp.removed.toFieldsV1()).toEqual({
      'f:list': { 'k:{"id":1,"key":"b"}': { '.': {}, 'f:id': {}, 'f:key': {} } },
      'f:name': {},
    });
  });

  it('removes members and drops what becomes empty', () => {
    const value = {
      name: 'x',
      list: [
        { key: 'a', id: 1, nv: 1 },
        { key: 'b', id: 2 },
      ],
      tags: ['t'],
    };
    const toRemove = FieldSet.of(
      [fieldPE('list'), keyPE({ id: 2, key: 'b' })],
      [fieldPE('list'), keyPE({ id: 1, key: 'a' }), fieldPE('nv')],
      [fieldPE('tags'), 'v:"t"'],
    );
    expect(removeItems(value, toRemove, root)).toEqual({ name: 'x', list: [{ key: 'a', id: 1 }] });
  });
});
