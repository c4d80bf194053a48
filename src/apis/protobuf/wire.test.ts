// Tests of the wire reader against hand-written bytes and the WireWriter.

import { describe, expect, it } from 'vitest';
import { WireWriter } from './wire-writer.js';
import {
  ProtobufDecodeError,
  WireReader,
  toBigInt64,
  toDouble,
  toFloat,
  toInt32,
  toInt64,
  toUint64,
} from './wire.js';

const varintOf = (bytes: number[]) => new WireReader(Uint8Array.from(bytes)).readVarint();
const NEG_ONE = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];

describe('WireReader.readVarint', () => {
  it.each([
    { bytes: [0x00], int32: 0, int64: 0, uint64: 0 },
    { bytes: [0x01], int32: 1, int64: 1, uint64: 1 },
    { bytes: [0xac, 0x02], int32: 300, int64: 300, uint64: 300 },
    { bytes: [0x90, 0x3f], int32: 8080, int64: 8080, uint64: 8080 },
    {
      bytes: [0xff, 0xff, 0xff, 0xff, 0x07],
      int32: 2147483647,
      int64: 2147483647,
      uint64: 2147483647,
    },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], int32: -1, int64: 4294967295, uint64: 4294967295 },
    { bytes: [0x80, 0x80, 0x80, 0x80, 0x10], int32: 0, int64: 2 ** 32, uint64: 2 ** 32 },
    { bytes: NEG_ONE, int32: -1, int64: -1, uint64: 2 ** 64 - 1 },
  ])('decodes $bytes', ({ bytes, int32, int64, uint64 }) => {
    const v = varintOf(bytes);
    expect(toInt32(v)).toBe(int32);
    expect(toInt64(v)).toBe(int64);
    expect(toUint64(v)).toBe(uint64);
  });

  it.each([
    0n,
    1n,
    127n,
    128n,
    2n ** 31n,
    -(2n ** 31n),
    2n ** 53n + 1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
  ])('round-trips %s exactly through toBigInt64', (n) => {
    const bytes = new WireWriter().rawVarint(n).finish();
    expect(toBigInt64(new WireReader(bytes).readVarint())).toBe(n);
  });

  it.each([
    { name: 'empty input', bytes: [] },
    { name: 'a continuation bit at the end', bytes: [0x80] },
    { name: 'a 10th byte above 1', bytes: [...NEG_ONE.slice(0, 9), 0x02] },
    { name: 'more than 10 bytes', bytes: [...NEG_ONE.slice(0, 9), 0x81, 0x00] },
  ])('rejects $name', ({ bytes }) => {
    expect(() => varintOf(bytes)).toThrow(ProtobufDecodeError);
  });
});

describe('WireReader fields', () => {
  it('reads tags, strings and nested bytes in order', () => {
    const body = new WireWriter()
      .string(1, 'web')
      .varint(7, 3)
      .message(2, (w) => w.varint(1, 1))
      .finish();
    const r = new WireReader(body);
    expect(r.readTag()).toEqual({ field: 1, wireType: 2 });
    expect(new TextDecoder().decode(r.readBytes())).toBe('web');
    expect(r.readTag()).toEqual({ field: 7, wireType: 0 });
    expect(toInt32(r.readVarint())).toBe(3);
    expect(r.readTag()).toEqual({ field: 2, wireType: 2 });
    expect(Array.from(r.readBytes())).toEqual([0x08, 0x01]);
    expect(r.done).toBe(true);
  });

  it('reads doubles and floats little-endian', () => {
    const r = new WireReader(new WireWriter().double(1, 1.5).float(2, -0.25).finish());
    r.readTag();
    expect(toDouble(r.readFixed64())).toBe(1.5);
    r.readTag();
    expect(toFloat(r.readFixed32())).toBe(-0.25);
  });

  it('skips every supported wire type', () => {
    const body = new WireWriter().varint(1, -5).double(2, 1).float(3, 1).string(4, 'x').finish();
    const r = new WireReader(body);
    for (let i = 0; i < 4; i++) {
      r.skip(r.readTag().wireType);
    }
    expect(r.done).toBe(true);
  });

  it.each([
    { name: 'field number 0', bytes: [0x02, 0x00] },
    { name: 'a tag beyond 32 bits', bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
  ])('rejects a tag with $name', ({ bytes }) => {
    expect(() => new WireReader(Uint8Array.from(bytes)).readTag()).toThrow(ProtobufDecodeError);
  });

  it.each([3, 4, 6, 7])('refuses to skip wire type %i', (wireType) => {
    expect(() => new WireReader(Uint8Array.from([0, 0])).skip(wireType)).toThrow(/wire type/);
  });

  it.each([
    { name: 'one byte too long', bytes: [0x03, 0x61, 0x62] },
    { name: 'a 2^35 length', bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x61] },
    { name: 'a 2^63 length', bytes: [...NEG_ONE.slice(0, 9), 0x01] },
  ])('rejects a length prefix $name', ({ bytes }) => {
    expect(() => new WireReader(Uint8Array.from(bytes)).readBytes()).toThrow(/exceeds/);
  });

  it('rejects truncated fixed-width fields', () => {
    expect(() => new WireReader(Uint8Array.from([1, 2, 3])).readFixed32()).toThrow(/end of input/);
    expect(() => new WireReader(Uint8Array.from([1, 2, 3, 4, 5])).readFixed64()).toThrow(
      /end of input/,
    );
  });
});
