// Tests: Duplicate-key detection in JSON texts, including hostile input.
import { describe, expect, it } from 'vitest';
import { findDuplicateFields } from './duplicates.js';

describe('findDuplicateFields', () => {
  it.each([
    ['no duplicates', '{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', []],
    ['at the root', '{"kind":"Pod","kind":"Pod"}', ['kind']],
    ['nested', '{"spec":{"replicas":1,"selector":{},"replicas":2}}', ['spec.replicas']],
    ['map keys', '{"metadata":{"labels":{"app":"a","app":"b"}}}', ['metadata.labels.app']],
    [
      'in list items',
      '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}}',
      ['spec.containers[1].name'],
    ],
    ['reported once each', '{"a":1,"a":2,"a":3,"b":1,"b":2}', ['a', 'b']],
    ['after escapes are decoded', '{"a":1,"\\u0061":2}', ['a']],
    ['not fooled by strings', '{"s":"{\\"s\\":1,\\"s\\":2}","t":"}]\\\\"}', []],
    ['in document order', '{"b":{"x":1,"x":2},"a":1,"a":2}', ['b.x', 'a']],
    ['nested arrays', '{"a":[[{"k":1,"k":2}]]}', ['a[0][0].k']],
    ['with whitespace', '{ "a" : 1 ,\n "a" : [ 1 , 2 ] }', ['a']],
  ])('%s', (_name, text, expected) => {
    expect(findDuplicateFields(text)).toEqual(expected);
  });

  it('stops quietly on invalid JSON', () => {
    expect(findDuplicateFields('{"a":1,"a":2,"b":"unterminated')).toEqual(['a']);
    expect(findDuplicateFields('')).toEqual([]);
  });

  it('handles deep nesting and large inputs iteratively', () => {
    const depth = 200_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(findDuplicateFields(deep)).toEqual([]);
    const wide = `{${Array.from({ length: 200_000 }, (_, i) => `"k${i % 1000}":1`).join(',')}}`;
    expect(findDuplicateFields(wide)).toHaveLength(100);
  });
});
