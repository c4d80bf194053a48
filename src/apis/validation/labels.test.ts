// Label selector validation, matching, and Go rendering of selectors and values.
import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../meta.js';
import { goQuote, goStringMap, goStringSlice } from './go-format.js';
import {
  goLabelSelector,
  isInvalidSelector,
  selectorMatches,
  validateLabelSelector,
} from './labels.js';

describe('validateLabelSelector', () => {
  it.each<[string, LabelSelector, string[]]>([
    [
      'valid',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }],
      },
      [],
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'k', operator: 'In' }] },
      [
        "s.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['x'] }] },
      [
        "s.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    ],
    [
      'bad operator',
      { matchExpressions: [{ key: 'k', operator: 'Equals', values: ['x'] }] },
      ['s.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
  ])('%s', (_n, sel, expected) => {
    expect(validateLabelSelector(sel, 's').map((e) => `${e.field}: ${e.detail}`)).toEqual(expected);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each<[LabelSelector | undefined, boolean]>([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [undefined, false],
  ])('%j → %s', (sel, expected) => {
    expect(selectorMatches(sel, labels)).toBe(expected);
  });

  it('flags selectors upstream cannot convert', () => {
    expect(isInvalidSelector({ matchLabels: { 'bad key!': 'x' } })).toBe(true);
    expect(isInvalidSelector({ matchExpressions: [{ key: 'k', operator: 'In' }] })).toBe(true);
    expect(isInvalidSelector({ matchLabels: { app: 'web' } })).toBe(false);
  });
});

describe('Go rendering', () => {
  it('renders a selector like %#v', () => {
    expect(goLabelSelector({ matchLabels: { b: '2', a: '1' } }).text).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}',
    );
    expect(
      goLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }).text,
    ).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}',
    );
  });

  it.each([
    ['plain', '"plain"'],
    ['quote"and\\slash', '"quote\\"and\\\\slash"'],
    ['tab\tnew\n', '"tab\\tnew\\n"'],
    ['\x01', '"\\x01"'],
    ['héllo', '"héllo"'],
    ['\u00a0', '"\\u00a0"'],
  ])('quotes %j like %%q', (s, expected) => {
    expect(goQuote(s)).toBe(expected);
  });

  it('renders maps and slices', () => {
    expect(goStringMap({}).text).toBe('map[string]string{}');
    expect(goStringMap(undefined).text).toBe('map[string]string(nil)');
    expect(goStringSlice(['a', 'b']).text).toBe('[]string{"a", "b"}');
  });
});
