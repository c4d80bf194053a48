// Tests of the special messages: Time, MicroTime, Duration, Quantity, IntOrString, RawExtension,
// FieldsV1 and StringList, built by hand with the WireWriter.

import { describe, expect, it } from 'vitest';
import { decodeSpecial, formatGoDuration } from './special.js';
import { WireWriter } from './wire-writer.js';

const w = () => new WireWriter();
const noNested = (): unknown => {
  throw new Error('unexpected nested object');
};
const JAN_1_2026 = 1767225600;

describe('Time and MicroTime', () => {
  it.each([
    { name: 'a 2026 instant', body: w().varint(1, JAN_1_2026), want: '2026-01-01T00:00:00Z' },
    {
      name: 'nanos (ignored)',
      body: w().varint(1, JAN_1_2026).varint(2, 999_999_999),
      want: '2026-01-01T00:00:00Z',
    },
    { name: 'the epoch (explicit zero)', body: w().varint(1, 0), want: '1970-01-01T00:00:00Z' },
    { name: 'a pre-epoch instant', body: w().varint(1, -1), want: '1969-12-31T23:59:59Z' },
    { name: 'year 9999', body: w().varint(1, 253402300799), want: '9999-12-31T23:59:59Z' },
    { name: 'an empty message (zero time)', body: w(), want: undefined },
    { name: "Go's zero time 0001-01-01", body: w().varint(1, -62135596800), want: undefined },
  ])('Time: $name', ({ body, want }) => {
    expect(decodeSpecial('Time', body.finish(), noNested)).toBe(want);
  });

  it.each([
    { nanos: 123_456_789, want: '2026-01-01T00:00:00.123456Z' },
    { nanos: 0, want: '2026-01-01T00:00:00.000000Z' },
    { nanos: 999, want: '2026-01-01T00:00:00.000000Z' },
    { nanos: 1_500_000_000, want: '2026-01-01T00:00:01.500000Z' },
    { nanos: -1_000, want: '2025-12-31T23:59:59.999999Z' },
  ])('MicroTime keeps microseconds of $nanos ns', ({ nanos, want }) => {
    const body = w().varint(1, JAN_1_2026).varint(2, nanos).finish();
    expect(decodeSpecial('MicroTime', body, noNested)).toBe(want);
  });

  it.each([253402300800, -62167219201, 2 ** 60])('rejects seconds %s outside years 0-9999', (s) => {
    expect(() => decodeSpecial('Time', w().varint(1, s).finish(), noNested)).toThrow(/outside/);
  });

  it('rejects a Time whose seconds are not a varint', () => {
    expect(() => decodeSpecial('Time', w().string(1, 'x').finish(), noNested)).toThrow(/wire type/);
  });
});

describe('Duration', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1_100n, '1.1µs'],
    [2_200_000n, '2.2ms'],
    [1_500_000_000n, '1.5s'],
    [61_000_000_000n, '1m1s'],
    [3_600_000_000_000n, '1h0m0s'],
    [5_400_000_000_000n, '1h30m0s'],
    [-1_500_000_000n, '-1.5s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ])('formats %s ns as Go does: %s', (nanos, want) => {
    expect(formatGoDuration(nanos)).toBe(want);
    expect(decodeSpecial('Duration', w().varint(1, nanos).finish(), noNested)).toBe(want);
  });
});

describe('Quantity and IntOrString', () => {
  it.each([
    { body: w().string(1, '500m'), want: '500m' },
    { body: w().string(1, '1Gi'), want: '1Gi' },
    { body: w(), want: '0' },
  ])('Quantity $want', ({ body, want }) => {
    expect(decodeSpecial('Quantity', body.finish(), noNested)).toBe(want);
  });

  it.each([
    { name: 'an int', body: w().varint(1, 0).varint(2, 8080).string(3, ''), want: 8080 },
    { name: 'a negative int', body: w().varint(1, 0).varint(2, -1), want: -1 },
    { name: 'a string', body: w().varint(1, 1).varint(2, 0).string(3, '25%'), want: '25%' },
    { name: 'an empty string', body: w().varint(1, 1), want: '' },
    { name: 'an empty message (int 0)', body: w(), want: 0 },
  ])('IntOrString: $name', ({ body, want }) => {
    expect(decodeSpecial('IntOrString', body.finish(), noNested)).toBe(want);
  });

  it('rejects an IntOrString of unknown type', () => {
    const body = w().varint(1, 2).finish();
    expect(() => decodeSpecial('IntOrString', body, noNested)).toThrow(/invalid type 2/);
  });
});

describe('RawExtension, FieldsV1 and StringList', () => {
  it.each(['RawExtension', 'FieldsV1'] as const)('%s parses embedded JSON', (type) => {
    const body = w().string(1, '{"f:metadata":{"f:labels":{}},"n":[1,2]}').finish();
    expect(decodeSpecial(type, body, noNested)).toEqual({
      'f:metadata': { 'f:labels': {} },
      n: [1, 2],
    });
  });

  it.each(['RawExtension', 'FieldsV1'] as const)('%s with no bytes is null (omitted)', (type) => {
    expect(decodeSpecial(type, w().finish(), noNested)).toBeUndefined();
    expect(decodeSpecial(type, w().string(1, '').finish(), noNested)).toBeUndefined();
  });

  it('hands a nested k8s\\0 object to the nested decoder', () => {
    const inner = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x00]);
    const seen: number[][] = [];
    const got = decodeSpecial('RawExtension', w().bytes(1, inner).finish(), (b) => {
      seen.push(Array.from(b));
      return { kind: 'Inner' };
    });
    expect(got).toEqual({ kind: 'Inner' });
    expect(seen).toEqual([Array.from(inner)]);
  });

  it('rejects a RawExtension that is neither JSON nor protobuf', () => {
    const body = w().string(1, '{not json').finish();
    expect(() => decodeSpecial('RawExtension', body, noNested)).toThrow(/neither JSON/);
  });

  it('StringList is a plain array of strings', () => {
    const body = w().string(1, 'a').string(1, '').string(1, 'c').finish();
    expect(decodeSpecial('StringList', body, noNested)).toEqual(['a', '', 'c']);
  });
});
