// Table tests for label selectors; error messages were captured from kubectl 1.32.4's own parser.
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import {
  formatLabelSelector,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorToString,
  nothingSelector,
  parseLabelSelector,
} from './labels.js';
import type { LabelSelector } from '../apis/meta.js';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseLabelSelector', () => {
  it.each([
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['', ''],
    ['   ', ''],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1,z<5', 'x>1,z<5'],
    ['z=c,a=b', 'a=b,z=c'],
    ['x==a', 'x==a'],
    ['\rx', 'x'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x in (def,abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['in in (in)', 'in in (in)'],
    ['notin=in', 'notin=in'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    [
      '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)',
    ],
    ['app=web, tier in (b,a)', 'app=web,tier in (a,b)'],
    ['b,a=x,b!=y', 'a=x,b,b!=y'],
  ])('%j prints as %j', (input, printed) => {
    expect(parseLabelSelector(input).toString()).toBe(printed);
  });

  it.each([
    [
      `x=a||y=b`,
      `unable to parse requirement: values[0][x]: Invalid value: "a||y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [`x==a==b`, `found '==', expected: ',' or 'end of string'`],
    [`!x=a`, `found '=', expected: ',' or 'end of string'`],
    [
      `x<a`,
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [`x,,y`, `found ',', expected: identifier after ','`],
    [`,x,y`, `found ',', expected: !, identifier, or 'end of string'`],
    [
      `x nott in (y)`,
      `unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt`,
    ],
    [`a in (xyz),`, `found '', expected: identifier after ','`],
    [`a in (xyz)b notin ()`, `found 'b', expected: ',' or 'end of string'`],
    [`a in (xyz abc)`, `unable to parse requirement: found 'abc', expected: ',' or ')'`],
    [`a notin(`, `unable to parse requirement: found '', expected: ',', ')' or identifier`],
    [`a (`, `unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt`],
    [`(`, `found '(', expected: !, identifier, or 'end of string'`],
    [
      `a/b/c`,
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      `Ex.com/a=b`,
      `unable to parse requirement: <nil>: Invalid value: "Ex.com/a": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
    [`a in`, `unable to parse requirement: found '' expected: '('`],
    [
      `/a`,
      `unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty`,
    ],
    [
      `a/`,
      `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [`a=b c`, `found 'c', expected: ',' or 'end of string'`],
    [`x=a=b`, `found '=', expected: ',' or 'end of string'`],
    [`a in (x),!`, `unable to parse requirement: found '', expected: identifier`],
    [`!`, `unable to parse requirement: found '', expected: identifier`],
    [`!!a`, `unable to parse requirement: found '!', expected: identifier`],
    [`a!b`, `unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt`],
    [`a in (x)(`, `found '(', expected: ',' or 'end of string'`],
    [`a in x`, `unable to parse requirement: found 'x' expected: '('`],
    [
      `a=AbC-`,
      `unable to parse requirement: values[0][a]: Invalid value: "AbC-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      `a in (b,-c)`,
      `unable to parse requirement: values[0][a]: Invalid value: "-c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      `a>b`,
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      `a>1,b<x`,
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      `-a`,
      `unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [`a notin (x y)`, `unable to parse requirement: found 'y', expected: ',' or ')'`],
    [`x in (a,b,)c`, `found 'c', expected: ',' or 'end of string'`],
    [`a=b,`, `found '', expected: identifier after ','`],
  ])('%j fails with the apiserver wording', (input, message) => {
    const err = errorOf(() => parseLabelSelector(input));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it.each([
    ['', {}, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['x', { x: '' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x<1', { x: '-5' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x notin (a,b)', { y: 'a' }, true],
    ['x in (,a)', { x: '' }, true],
    ['x=', { x: '' }, true],
    ['x!=', {}, true],
    ['x=z', {}, false],
    ['x=z', undefined, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: 'abc' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '2' }, false],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x=', {}, false],
    ['toString=x', {}, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
  ])('%j matches %j: %s', (input, labels: Record<string, string> | undefined, want) => {
    expect(parseLabelSelector(input).matches(labels)).toBe(want);
  });

  it('reports emptiness', () => {
    expect(parseLabelSelector('').isEmpty()).toBe(true);
    expect(parseLabelSelector('a').isEmpty()).toBe(false);
    expect(parseLabelSelector('a').requirements).toEqual([
      { key: 'a', operator: 'exists', values: [] },
    ]);
  });
});

describe('labelSelectorFromObject', () => {
  it.each<[LabelSelector, string]>([
    [{}, ''],
    [{ matchLabels: {} }, ''],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchLabels: { tier: 'fe', app: 'web' } }, 'app=web,tier=fe'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
      },
      'app=web,tier in (a,b)',
    ],
    [
      {
        matchExpressions: [
          { key: 'z', operator: 'DoesNotExist' },
          { key: 'y', operator: 'Exists' },
          { key: 'x', operator: 'NotIn', values: ['q'] },
        ],
      },
      'x notin (q),y,!z',
    ],
    [
      {
        matchLabels: { a: '1' },
        matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['2'] }],
      },
      'a=1,a notin (2)',
    ],
  ])('%j prints as %j', (sel, printed) => {
    expect(labelSelectorToString(sel)).toBe(printed);
    expect(labelSelectorFromObject(sel).toString()).toBe(printed);
  });

  it.each<[LabelSelector, Record<string, string>, boolean]>([
    [{}, { a: 'b' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' }, false],
  ])('%j matches %j: %s', (sel, labels, want) => {
    expect(labelSelectorFromObject(sel).matches(labels)).toBe(want);
  });

  it('treats a missing selector as matching nothing', () => {
    const sel = labelSelectorFromObject(undefined);
    expect(sel.matches({})).toBe(false);
    expect(sel.isEmpty()).toBe(false);
    expect(sel.toString()).toBe('');
    expect(nothingSelector().matches({ a: 'b' })).toBe(false);
  });

  it.each<[LabelSelector, string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      '"Equals" is not a valid label selector operator',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['<x>'] }] },
      `[values: Invalid value: ["\\u003cx\\u003e"]: values set must be empty for exists and does not exist, values[0][a]: Invalid value: "<x>": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`,
    ],
    [
      { matchLabels: { 'bad key': 'v' } },
      `key: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      { matchExpressions: [{ key: '', operator: 'NotIn', values: ['ok', 'no!'] }] },
      `[key: Invalid value: "": name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), values[1][]: Invalid value: "no!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`,
    ],
  ])('%j is rejected', (sel, message) => {
    expect(errorOf(() => labelSelectorFromObject(sel)).message).toBe(message);
  });

  it.each<[LabelSelector | undefined, string]>([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
  ])('formatLabelSelector(%j) is %j', (sel, want) => {
    expect(formatLabelSelector(sel)).toBe(want);
  });
});

describe('labelSelectorFromSet', () => {
  it.each([
    [{}, { a: 'b' }, true, ''],
    [{ app: 'web' }, { app: 'web' }, true, 'app=web'],
    [{ b: '2', a: '1' }, { a: '1' }, false, 'a=1,b=2'],
  ])('%j on %j', (set: Record<string, string>, labels, want, printed) => {
    const sel = labelSelectorFromSet(set);
    expect(sel.matches(labels)).toBe(want);
    expect(sel.toString()).toBe(printed);
  });
});
