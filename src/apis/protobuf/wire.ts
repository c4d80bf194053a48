// The protobuf wire format reader: tags, varints, fixed32/64 and length-delimited fields.
// It never reads past its buffer; every malformed input becomes a ProtobufDecodeError.

/** A malformed or unsupported protobuf body; decode.ts turns it into a 400 BadRequest. */
export class ProtobufDecodeError extends Error {
  readonly code = 'PROTOBUF_DECODE';

  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export const WireType = {
  varint: 0,
  fixed64: 1,
  bytes: 2,
  fixed32: 5,
} as const;

/** A 64-bit value as two unsigned 32-bit halves, so no precision is lost while reading. */
export interface Uint64 {
  lo: number;
  hi: number;
}

const TWO_32 = 2 ** 32;

/** Go's int32(x) of a varint: the low 32 bits, signed. */
export function toInt32(v: Uint64): number {
  return v.lo | 0;
}

/** The signed 64-bit value; beyond 2^53 JavaScript numbers round, as JSON numbers do. */
export function toInt64(v: Uint64): number {
  return (v.hi | 0) * TWO_32 + v.lo;
}

/** The unsigned 64-bit value (rounded beyond 2^53). */
export function toUint64(v: Uint64): number {
  return v.hi * TWO_32 + v.lo;
}

/** The exact signed 64-bit value, for durations in nanoseconds. */
export function toBigInt64(v: Uint64): bigint {
  return BigInt.asIntN(64, (BigInt(v.hi) << 32n) | BigInt(v.lo));
}

/** Reads one protobuf message's bytes from start to end; sub-readers share the buffer. */
export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** The next field's number and wire type. */
  readTag(): { field: number; wireType: number } {
    const tag = this.readVarint();
    const field = Math.floor(tag.lo / 8);
    if (tag.hi !== 0 || field === 0) {
      throw new ProtobufDecodeError('invalid field number in tag');
    }
    return { field, wireType: tag.lo & 7 };
  }

  /** A base-128 varint of at most 10 bytes. */
  readVarint(): Uint64 {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) {
        throw new ProtobufDecodeError('unexpected end of input in varint');
      }
      const b = this.buf[this.pos++] ?? 0;
      // Byte i carries bits 7i..7i+6; byte 4 straddles the two halves.
      if (i < 4) {
        lo += (b & 0x7f) * 2 ** (7 * i);
      } else if (i === 4) {
        lo += (b & 0x0f) * 2 ** 28;
        hi += (b & 0x70) >>> 4;
      } else if (i === 9 && b > 1) {
        throw new ProtobufDecodeError('varint overflows 64 bits');
      } else {
        hi += (b & 0x7f) * 2 ** (7 * i - 32);
      }
      if ((b & 0x80) === 0) {
        return { lo, hi };
      }
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  readFixed32(): Uint8Array {
    return this.take(4);
  }

  readFixed64(): Uint8Array {
    return this.take(8);
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  readBytes(): Uint8Array {
    const len = this.readVarint();
    const left = this.buf.length - this.pos;
    if (len.hi !== 0 || len.lo > left) {
      throw new ProtobufDecodeError(`length ${toUint64(len)} exceeds the ${left} bytes left`);
    }
    return this.take(len.lo);
  }

  /** Skips a field this decoder does not know, as protobuf requires for forward compatibility. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.readVarint();
        return;
      case WireType.fixed64:
        this.take(8);
        return;
      case WireType.bytes:
        this.readBytes();
        return;
      case WireType.fixed32:
        this.take(4);
        return;
      default:
        // Groups (3, 4) are proto1-era and never produced by Kubernetes; 6 and 7 are invalid.
        throw new ProtobufDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  private take(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) {
      throw new ProtobufDecodeError('unexpected end of input');
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Little-endian IEEE 754 double from a fixed64 field. */
export function toDouble(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}

/** Little-endian IEEE 754 float from a fixed32 field. */
export function toFloat(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}
