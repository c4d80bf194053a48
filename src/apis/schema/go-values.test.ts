// Tests: Quantity and base64 decoding errors with Go's texts.
import { describe, expect, it } from 'vitest';
import { base64Error, quantityError } from './go-values.js';

const FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX = "unable to parse quantity's suffix";

describe('quantityError', () => {
  it.each([
    '1',
    '0',
    '100m',
    '0.5',
    '1.5Gi',
    '128Mi',
    '1e3',
    '2E-3',
    '-1',
    '+5k',
    '.5',
    '1.',
    ' 1Gi ',
    '10n',
    '3Ei',
    '-',
  ])('accepts %j', (s) => {
    expect(quantityError(s)).toBeUndefined();
  });

  it.each([
    ['', FORMAT],
    ['lots', FORMAT],
    ['1 Gi', FORMAT],
    ['100Mb', FORMAT],
    ['1Gi5x', FORMAT],
    ['true', FORMAT],
    ['{"a":1}', FORMAT],
    ['5MM', SUFFIX],
    ['1Kb', FORMAT],
    ['1K', SUFFIX],
    ['1mi', SUFFIX],
    ['1e', SUFFIX],
  ])('rejects %j with %s', (s, message) => {
    expect(quantityError(s)).toBe(message);
  });
});

describe('base64Error', () => {
  it.each(['', 'aGVsbG8=', 'aGVsbA==', 'aGVs', 'aGVs\nbG8=', 'aGVsbG8=\r\n'])('accepts %j', (s) => {
    expect(base64Error(s)).toBeUndefined();
  });

  it.each([
    ['hunter2', 4],
    ['aGVsbG8', 4],
    ['a!bc', 1],
    ['a', 0],
    ['ab', 0],
    ['=abc', 0],
    ['a===', 1],
    ['ab=', 3],
    ['ab=c', 2],
    ['aGVsbG8=x', 8],
    ['héllo', 1],
  ])('rejects %j at byte %i', (s, offset) => {
    expect(base64Error(s)).toBe(`illegal base64 data at input byte ${offset}`);
  });
});
