// Decoders for the messages whose JSON form is not an object: Time, MicroTime, Duration,
// Quantity, IntOrString, RawExtension, FieldsV1 and string lists (authentication ExtraValue).

import type { SpecialType } from './schema.js';
import {
  ProtobufDecodeError,
  WireReader,
  WireType,
  toBigInt64,
  toInt32,
  toInt64,
  type Uint64,
} from './wire.js';

/** Decodes a nested protobuf object (a RawExtension holding `k8s\0` bytes). */
export type NestedDecoder = (body: Uint8Array) => unknown;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Go string bytes as a JavaScript string; invalid UTF-8 becomes U+FFFD, as Go's JSON does. */
export function decodeString(b: Uint8Array): string {
  return utf8.decode(b);
}

interface Fields {
  varints: Map<number, Uint64>;
  bytes: Map<number, Uint8Array[]>;
}

/** Reads a flat message whose fields are all varints or length-delimited; last value wins. */
function scan(
  type: string,
  buf: Uint8Array,
  varintFields: number[],
  bytesFields: number[],
): Fields {
  const r = new WireReader(buf);
  const out: Fields = { varints: new Map(), bytes: new Map() };
  while (!r.done) {
    const { field, wireType } = r.readTag();
    const expected = varintFields.includes(field)
      ? WireType.varint
      : bytesFields.includes(field)
        ? WireType.bytes
        : undefined;
    if (expected === undefined) {
      r.skip(wireType);
    } else if (wireType !== expected) {
      throw new ProtobufDecodeError(`${type} field ${field}: unexpected wire type ${wireType}`);
    } else if (expected === WireType.varint) {
      out.varints.set(field, r.readVarint());
    } else {
      out.bytes.set(field, [...(out.bytes.get(field) ?? []), r.readBytes()]);
    }
  }
  return out;
}

const lastBytes = (f: Fields, n: number): Uint8Array | undefined => f.bytes.get(n)?.at(-1);

// Go's zero time.Time (0001-01-01T00:00:00Z) serialises as JSON null.
const GO_ZERO_TIME_SECONDS = -62135596800;
const MIN_SECONDS = -62167219200; // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

function formatTimestamp(type: string, buf: Uint8Array, isMicro: boolean): string | undefined {
  if (buf.length === 0) {
    return undefined;
  }
  const f = scan(type, buf, [1, 2], []);
  let seconds = toInt64(f.varints.get(1) ?? { lo: 0, hi: 0 });
  // metav1.Time ignores nanos; MicroTime truncates them to microseconds.
  let nanos = isMicro ? toInt32(f.varints.get(2) ?? { lo: 0, hi: 0 }) : 0;
  nanos -= nanos % 1000;
  seconds += Math.floor(nanos / 1e9);
  nanos = ((nanos % 1e9) + 1e9) % 1e9;
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) {
    return undefined;
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new ProtobufDecodeError(`${type} seconds ${seconds} outside years 0-9999`);
  }
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return isMicro ? `${base}.${String(nanos / 1000).padStart(6, '0')}Z` : `${base}Z`;
}

function fraction(v: bigint, digits: number): string {
  return v === 0n ? '' : `.${v.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Go's time.Duration.String() for a count of nanoseconds, e.g. `1h30m0s`, `1.5µs`. */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) {
    return '0s';
  }
  const sign = nanos < 0n ? '-' : '';
  const u = nanos < 0n ? -nanos : nanos;
  if (u < 1_000_000_000n) {
    const [unit, digits] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const scale = 10n ** BigInt(digits);
    return `${sign}${u / scale}${fraction(u % scale, digits)}${unit}`;
  }
  const secs = u / 1_000_000_000n;
  let out = `${secs % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    out = `${mins % 60n}m${out}`;
    if (mins / 60n > 0n) {
      out = `${mins / 60n}h${out}`;
    }
  }
  return sign + out;
}

function decodeIntOrString(buf: Uint8Array): number | string {
  const f = scan('IntOrString', buf, [1, 2], [3]);
  const type = toInt64(f.varints.get(1) ?? { lo: 0, hi: 0 });
  if (type === 0) {
    return toInt32(f.varints.get(2) ?? { lo: 0, hi: 0 });
  }
  if (type === 1) {
    const s = lastBytes(f, 3);
    return s ? decodeString(s) : '';
  }
  throw new ProtobufDecodeError(`IntOrString has invalid type ${type}`);
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

function decodeRawJson(type: string, buf: Uint8Array, nested: NestedDecoder): unknown {
  const raw = lastBytes(scan(type, buf, [], [1]), 1);
  if (raw === undefined || raw.length === 0) {
    return undefined;
  }
  if (MAGIC.every((b, i) => raw[i] === b)) {
    return nested(raw);
  }
  try {
    return JSON.parse(decodeString(raw)) as unknown;
  } catch {
    throw new ProtobufDecodeError(`${type} holds neither JSON nor a protobuf object`);
  }
}

/** The JSON value of a special message; undefined means JSON null, which we omit. */
export function decodeSpecial(type: SpecialType, buf: Uint8Array, nested: NestedDecoder): unknown {
  switch (type) {
    case 'Time':
      return formatTimestamp(type, buf, false);
    case 'MicroTime':
      return formatTimestamp(type, buf, true);
    case 'Duration':
      return formatGoDuration(
        toBigInt64(scan(type, buf, [1], []).varints.get(1) ?? { lo: 0, hi: 0 }),
      );
    case 'Quantity': {
      const s = lastBytes(scan(type, buf, [], [1]), 1);
      return s ? decodeString(s) : '0';
    }
    case 'IntOrString':
      return decodeIntOrString(buf);
    case 'RawExtension':
    case 'FieldsV1':
      return decodeRawJson(type, buf, nested);
    case 'StringList':
      return (scan(type, buf, [], [1]).bytes.get(1) ?? []).map(decodeString);
  }
}
