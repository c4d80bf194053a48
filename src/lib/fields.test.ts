// Table tests for field selectors; error messages were captured from kubectl 1.32.4's own parser.
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import {
  escapeFieldValue,
  fieldRequiresExactMatch,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
} from './fields.js';
import type { FieldRequirement } from './fields.js';

describe('parseFieldSelector', () => {
  it.each<[string, FieldRequirement[]]>([
    ['', []],
    ['metadata.name=x', [{ field: 'metadata.name', operator: '=', value: 'x' }]],
    [
      'a==b,c!=d,e=f',
      [
        { field: 'a', operator: '=', value: 'b' },
        { field: 'c', operator: '!=', value: 'd' },
        { field: 'e', operator: '=', value: 'f' },
      ],
    ],
    [
      'status.phase!=Failed,spec.nodeName=n1,status.phase!=Succeeded',
      [
        { field: 'spec.nodeName', operator: '=', value: 'n1' },
        { field: 'status.phase', operator: '!=', value: 'Failed' },
        { field: 'status.phase', operator: '!=', value: 'Succeeded' },
      ],
    ],
    [',a=b', [{ field: 'a', operator: '=', value: 'b' }]],
    [
      'a=b,,c=d',
      [
        { field: 'a', operator: '=', value: 'b' },
        { field: 'c', operator: '=', value: 'd' },
      ],
    ],
    ['=', []],
    ['a=', [{ field: 'a', operator: '=', value: '' }]],
    ['a\\,b=c', [{ field: 'a\\,b', operator: '=', value: 'c' }]],
    ['a=b\\,c\\=d\\\\e', [{ field: 'a', operator: '=', value: 'b,c=d\\e' }]],
    [' a = b ', [{ field: ' a ', operator: '=', value: ' b ' }]],
    [
      'involvedObject.namespace=',
      [{ field: 'involvedObject.namespace', operator: '=', value: '' }],
    ],
  ])('%j parses', (input, want) => {
    expect(parseFieldSelector(input)).toEqual(want);
  });

  it.each([
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['b=1,a', "invalid selector: 'b=1,a'; can't understand 'a'"],
    ['x,a=1', "invalid selector: 'x,a=1'; can't understand 'x'"],
    ['z,y', "invalid selector: 'z,y'; can't understand 'y'"],
    ['a!b', "invalid selector: 'a!b'; can't understand 'a!b'"],
  ])('%j fails with %j', (input, message) => {
    let caught: unknown;
    try {
      parseFieldSelector(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(400);
    expect((caught as ApiError).message).toBe(message);
  });
});

describe('matchesFields', () => {
  const pod: Record<string, string> = {
    'metadata.name': 'web-1',
    'spec.nodeName': 'n1',
    'status.phase': 'Running',
  };
  const get = (path: string): string | undefined => pod[path];

  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name=web-2', false],
    ['spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded', true],
    ['spec.nodeName=n1,status.phase!=Running', false],
    ['metadata.namespace=', true],
    ['metadata.namespace!=', false],
    ['metadata.namespace=x', false],
  ])('%j on the pod is %s', (selector, want) => {
    expect(matchesFields(parseFieldSelector(selector), get)).toBe(want);
  });
});

describe('printing', () => {
  it.each([
    ['metadata.name=x', 'metadata.name=x'],
    ['b==1,a!=2', 'a!=2,b=1'],
    ['a=b\\,c\\=d\\\\e', 'a=b\\,c\\=d\\\\e'],
  ])('%j prints as %j', (input, want) => {
    expect(fieldSelectorToString(parseFieldSelector(input))).toBe(want);
  });

  it('escapes values and finds exact matches', () => {
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
    const reqs = parseFieldSelector('metadata.name=web,status.phase!=Failed');
    expect(fieldRequiresExactMatch(reqs, 'metadata.name')).toBe('web');
    expect(fieldRequiresExactMatch(reqs, 'status.phase')).toBeUndefined();
  });
});
