// Table tests for quantities; the canonical forms were captured from kubectl 1.32.4
// (`kubectl set resources --local`), which runs the upstream parser and printer.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatMilliCpu,
  newMilliQuantity,
  newQuantity,
  parseQuantity,
  QuantityParseError,
} from './quantity.js';
import type { QuantityFormat } from './quantity.js';

const FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe('parseQuantity', () => {
  it.each([
    ['0', '0'],
    ['00', '0'],
    ['-0', '0'],
    ['+0', '0'],
    ['0n', '0'],
    ['0m', '0'],
    ['0Ki', '0'],
    ['0Mi', '0'],
    ['1', '1'],
    ['+1', '+1'],
    ['05', '05'],
    ['-1', '-1'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['0.1', '100m'],
    ['.5', '500m'],
    ['1.', '1.'],
    ['1.G', '1.G'],
    ['0.001', '1m'],
    ['0.0005k', '500m'],
    ['1.5k', '1500'],
    ['1k', '1k'],
    ['1000', '1k'],
    ['1024', '1024'],
    ['1Ki', '1Ki'],
    ['1024Ki', '1Mi'],
    ['1048576', '1048576'],
    ['128Mi', '128Mi'],
    ['131072Ki', '128Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Mi', '512Ki'],
    ['0.05Gi', '53687091200m'],
    ['0.025Ti', '27487790694400m'],
    ['100.035Ki', '102435840m'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['9Ei', '9223372036854775807'],
    ['8Ei', '9223372036854775807'],
    ['8.5Ei', '9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', '9223372036854775808'],
    ['99999999999999999999', '99999999999999999999'],
    ['12345678901234567890123m', '12345678901234567890123m'],
    ['1e3', '1e3'],
    ['1E3', '1E3'],
    ['1e-3', '1e-3'],
    ['1E6', '1E6'],
    ['12e6', '12e6'],
    ['1.5e3', '1500'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['0.5e-9', '1e-9'],
    ['1.1E-9', '2e-9'],
    ['3.001n', '4n'],
    ['0.9n', '1n'],
    ['0.00000012345', '124n'],
    ['1E', '1E'],
    ['12E', '12E'],
    ['1000E', '1'],
    ['1.01E', '1010P'],
    ['2.5P', '2500T'],
    ['40.1T', '40100G'],
    ['7.123456M', '7.123456M'],
    ['6.987654321G', '6.987654321G'],
    ['5n', '5n'],
    ['4u', '4u'],
    ['3m', '3m'],
    ['80m', '80m'],
    ['1080m', '1080m'],
    ['1.08', '1080m'],
    ['108e-2', '1080e-3'],
    ['1080000000n', '1080m'],
    ['5000m', '5'],
    ['0.5Gi', '512Mi'],
    ['-1.5', '-1500m'],
    ['-100m', '-100m'],
    ['-128Mi', '-128Mi'],
    ['-0.5Mi', '-512Ki'],
    ['-1.1E-9', '-2e-9'],
    ['-.000000000001Ki', '-2n'],
    ['-9Ei', '-9223372036854775807'],
    ['12345678n', '12345678n'],
    ['37m', '37m'],
    ['0.25', '250m'],
    ['1e100', '10e99'],
    ['1e-100', '1e-9'],
    ['m', '0'],
    ['+', '0'],
    ['-', '0'],
    ['.', '0'],
    ['1.e-10', '1e-9'],
  ])('%j prints as %j', (input, printed) => {
    const q = parseQuantity(input);
    expect(q.toString()).toBe(printed);
    expect(JSON.stringify({ q })).toBe(JSON.stringify({ q: printed }));
  });

  it.each([
    ['1Ki1', 'ErrSuffix'],
    ['e-10', 'ErrNumeric'],
    ['1K', 'ErrSuffix'],
    ['1e', 'ErrSuffix'],
    ['1ee3', 'ErrSuffix'],
    ['1.2.3', 'ErrFormatWrong'],
    ['1.1.M', 'ErrFormatWrong'],
    ['1+1.0M', 'ErrFormatWrong'],
    ['0.1mi', 'ErrSuffix'],
    ['0.1am', 'ErrFormatWrong'],
    ['aoeu', 'ErrFormatWrong'],
    ['.5i', 'ErrSuffix'],
    ['1i', 'ErrSuffix'],
    ['-3.01i', 'ErrSuffix'],
    ['-3.01e-', 'ErrSuffix'],
    [' 1', 'ErrFormatWrong'],
    ['1 ', 'ErrFormatWrong'],
    ['1e9999999999999999999', 'ErrSuffix'],
  ])('%j is rejected with %s', (input, code) => {
    let caught: unknown;
    try {
      parseQuantity(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QuantityParseError);
    expect((caught as QuantityParseError).code).toBe(code);
  });

  it('uses the upstream message for malformed input', () => {
    expect(() => parseQuantity('')).toThrow(FORMAT_WRONG);
    expect(() => parseQuantity('1.2.3')).toThrow(FORMAT_WRONG);
    expect(() => parseQuantity('1K')).toThrow("unable to parse quantity's suffix");
    expect(() => parseQuantity('e-10')).toThrow('unable to parse numeric part of quantity');
  });

  it.each<[string, QuantityFormat]>([
    ['1', 'DecimalSI'],
    ['100m', 'DecimalSI'],
    ['1Ki', 'BinarySI'],
    ['0Ki', 'BinarySI'],
    ['0.5Mi', 'BinarySI'],
    ['.000001Ki', 'DecimalSI'],
    ['1e3', 'DecimalExponent'],
    ['1E', 'DecimalSI'],
    ['1.1E-9', 'DecimalExponent'],
  ])('%j has format %s', (input, format) => {
    expect(parseQuantity(input).format).toBe(format);
  });

  it.each([
    ['0', 0, 0],
    ['1', 1, 1000],
    ['100m', 1, 100],
    ['1500m', 2, 1500],
    ['1.5', 2, 1500],
    ['0.1', 1, 100],
    ['1n', 1, 1],
    ['1001u', 1, 2],
    ['-1.5', -2, -1500],
    ['128Mi', 134217728, 134217728000],
    ['1.5Gi', 1610612736, 1610612736000],
    ['5120Ki', 5242880, 5242880000],
    ['2k', 2000, 2000000],
    ['12e6', 12000000, 12000000000],
    ['9Ei', Number(2n ** 63n - 1n), Number((2n ** 63n - 1n) * 1000n)],
  ])('%j has value %d and milliValue %d', (input, value, milli) => {
    const q = parseQuantity(input);
    expect(q.value()).toBe(value);
    expect(q.milliValue()).toBe(milli);
  });

  it.each([
    ['1', '1000m', 0],
    ['1', '1001m', -1],
    ['1Ki', '1k', 1],
    ['1Gi', '1G', 1],
    ['-1', '0', -1],
    ['-2', '-1', -1],
    ['1e100', '1', 1],
    ['1e-100', '1n', 0],
    ['0', '0Mi', 0],
    ['500m', '0.5', 0],
  ])('%j compared with %j is %d', (a, b, want) => {
    expect(parseQuantity(a).compare(parseQuantity(b))).toBe(want);
    expect(parseQuantity(b).compare(parseQuantity(a))).toBe(want === 0 ? 0 : -want);
  });

  it('adds and subtracts exactly, keeping the format of the left side', () => {
    const sum = parseQuantity('100m').add(parseQuantity('1.9'));
    expect(sum.toString()).toBe('2');
    expect(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString()).toBe('1536Mi');
    expect(parseQuantity('0').add(parseQuantity('1Ki')).toString()).toBe('1Ki');
    expect(parseQuantity('1').sub(parseQuantity('250m')).toString()).toBe('750m');
    expect(parseQuantity('0.1').add(parseQuantity('0.2')).compare(parseQuantity('300m'))).toBe(0);
  });
});

describe('constructors and metric helpers', () => {
  it.each([
    [0, '0'],
    [37, '37m'],
    [1000, '1'],
    [1500, '1500m'],
    [250, '250m'],
    [2000, '2'],
    [12.3, '13m'],
  ])('formatMilliCpu(%d) is %j', (milli, want) => {
    expect(formatMilliCpu(milli)).toBe(want);
  });

  it.each<[number, QuantityFormat | undefined, string]>([
    [0, undefined, '0'],
    [512, undefined, '512'],
    [1023, undefined, '1023'],
    [1024, undefined, '1Ki'],
    [5242880, undefined, '5Mi'],
    [5246976, undefined, '5124Ki'],
    [134217728, 'BinarySI', '128Mi'],
    [1500, 'BinarySI', '1500'],
    [1000, 'DecimalSI', '1k'],
    [1500000, 'DecimalSI', '1500k'],
    [12000000, 'DecimalExponent', '12e6'],
  ])('formatBytes(%d, %s) is %j', (bytes, format, want) => {
    expect(format === undefined ? formatBytes(bytes) : formatBytes(bytes, format)).toBe(want);
  });

  it('builds quantities from integers', () => {
    expect(newQuantity(3, 'DecimalSI').toString()).toBe('3');
    expect(newQuantity(2048n, 'BinarySI').toString()).toBe('2Ki');
    expect(newMilliQuantity(1080, 'DecimalSI').toString()).toBe('1080m');
    expect(newMilliQuantity(500, 'BinarySI').toString()).toBe('500m');
  });
});
