// Decodes one protobuf message into the JSON object Go's encoding/json would have produced,
// driven by a MessageDef from schema.ts.

import type { FieldDef, MessageDef, Schema, ScalarKind, ValueType } from './schema.js';
import { decodeSpecial, decodeString, type NestedDecoder } from './special.js';
import {
  ProtobufDecodeError,
  WireReader,
  WireType,
  toDouble,
  toFloat,
  toInt32,
  toInt64,
  toUint64,
} from './wire.js';

/** Bounds recursion on hostile input; real Kubernetes objects nest far less deeply. */
export const MAX_DEPTH = 64;

export interface DecodeContext {
  schema: Schema;
  /** Decodes a `k8s\0` object found inside a RawExtension, at the given nesting depth. */
  nested: (body: Uint8Array, depth: number) => unknown;
}

type JsonObject = Record<string, unknown>;

const WIRE_OF: Record<ScalarKind, number> = {
  string: WireType.bytes,
  bytes: WireType.bytes,
  int32: WireType.varint,
  int64: WireType.varint,
  uint32: WireType.varint,
  uint64: WireType.varint,
  bool: WireType.varint,
  double: WireType.fixed64,
  float: WireType.fixed32,
};

const wireOf = (v: ValueType): number =>
  v.kind === 'message' || v.kind === 'special' ? WireType.bytes : WIRE_OF[v.kind];

/** Sets a key without touching the prototype: map keys such as `__proto__` come off the wire. */
function setKey(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function readScalar(r: WireReader, kind: ScalarKind): unknown {
  switch (kind) {
    case 'string':
      return decodeString(r.readBytes());
    case 'bytes':
      return Buffer.from(r.readBytes()).toString('base64');
    case 'int32':
      return toInt32(r.readVarint());
    case 'int64':
      return toInt64(r.readVarint());
    case 'uint32':
      return r.readVarint().lo;
    case 'uint64':
      return toUint64(r.readVarint());
    case 'bool': {
      const v = r.readVarint();
      return v.lo !== 0 || v.hi !== 0;
    }
    case 'double':
      return toDouble(r.readFixed64());
    case 'float':
      return toFloat(r.readFixed32());
  }
}

const SCALAR_ZERO: Record<ScalarKind, unknown> = {
  string: '',
  bytes: '',
  bool: false,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  double: 0,
  float: 0,
};

/** A map entry without a value holds the type's zero value, as in Go. */
function zeroValue(v: ValueType): unknown {
  if (v.kind === 'special') {
    return decodeSpecial(v.type, new Uint8Array(0), () => null) ?? null;
  }
  return v.kind === 'message' ? {} : SCALAR_ZERO[v.kind];
}

function fieldError(def: MessageDef, f: FieldDef, wireType: number): ProtobufDecodeError {
  return new ProtobufDecodeError(
    `${def.name}.${f.json} (field ${f.no}): wire type ${wireType}, expected ${wireOf(f.value)}`,
  );
}

const isZero = (v: unknown): boolean => v === '' || v === 0 || v === false;

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Walks one message tree; `depth` counts nesting so hostile input cannot recurse forever. */
class MessageDecoder {
  constructor(private readonly ctx: DecodeContext) {}

  decodeInto(out: JsonObject, buf: Uint8Array, def: MessageDef, depth: number): void {
    if (depth > MAX_DEPTH) {
      throw new ProtobufDecodeError(`messages nested deeper than ${MAX_DEPTH}`);
    }
    const r = new WireReader(buf);
    while (!r.done) {
      const { field, wireType } = r.readTag();
      const f = def.fields.get(field);
      if (!f) {
        r.skip(wireType);
        continue;
      }
      const packable = f.shape === 'repeated' && wireType === WireType.bytes;
      if (wireType !== wireOf(f.value) && !packable) {
        throw fieldError(def, f, wireType);
      }
      if (f.shape === 'map') {
        const map = isObject(out[f.json]) ? (out[f.json] as JsonObject) : {};
        const [key, value] = this.readMapEntry(r, f, depth);
        setKey(map, key, value);
        out[f.json] = map;
      } else if (f.shape === 'repeated') {
        const list = Array.isArray(out[f.json]) ? (out[f.json] as unknown[]) : [];
        this.readRepeated(r, f, wireType === WireType.bytes, depth).forEach((v) => list.push(v));
        out[f.json] = list;
      } else {
        this.readSingle(out, r, f, depth);
      }
    }
  }

  private messageDef(type: string): MessageDef {
    const def = this.ctx.schema.messages.get(type);
    if (!def) {
      throw new ProtobufDecodeError(`no protobuf schema for message ${type}`);
    }
    return def;
  }

  /** One value of a field whose wire type has already been checked. */
  private readValue(r: WireReader, v: ValueType, depth: number): unknown {
    if (v.kind === 'special') {
      const nested: NestedDecoder = (body) => this.ctx.nested(body, depth + 1);
      return decodeSpecial(v.type, r.readBytes(), nested) ?? null;
    }
    if (v.kind === 'message') {
      const out: JsonObject = {};
      this.decodeInto(out, r.readBytes(), this.messageDef(v.type), depth + 1);
      return out;
    }
    return readScalar(r, v.kind);
  }

  private readMapEntry(r: WireReader, f: FieldDef, depth: number): [string, unknown] {
    const entry = new WireReader(r.readBytes());
    let key = '';
    let value: unknown;
    while (!entry.done) {
      const { field, wireType } = entry.readTag();
      if (field === 1 && wireType === WireType.bytes) {
        key = decodeString(entry.readBytes());
      } else if (field === 2 && wireType === wireOf(f.value)) {
        value = this.readValue(entry, f.value, depth);
      } else if (field === 1 || field === 2) {
        throw new ProtobufDecodeError(`map entry of ${f.json}: unexpected wire type ${wireType}`);
      } else {
        entry.skip(wireType);
      }
    }
    return [key, value ?? zeroValue(f.value)];
  }

  private readRepeated(r: WireReader, f: FieldDef, isBytes: boolean, depth: number): unknown[] {
    // Numeric repeated fields may arrive packed into one length-delimited run.
    if (isBytes && wireOf(f.value) !== WireType.bytes) {
      const packed = new WireReader(r.readBytes());
      const out: unknown[] = [];
      while (!packed.done) {
        out.push(this.readValue(packed, f.value, depth));
      }
      return out;
    }
    return [this.readValue(r, f.value, depth)];
  }

  private readSingle(out: JsonObject, r: WireReader, f: FieldDef, depth: number): void {
    if (f.value.kind === 'message') {
      const existing = out[f.json];
      // Repeated occurrences of a message field merge, as protobuf specifies.
      const target = f.inline ? out : isObject(existing) ? existing : {};
      this.decodeInto(target, r.readBytes(), this.messageDef(f.value.type), depth + 1);
      if (!f.inline) {
        out[f.json] = target;
      }
      return;
    }
    const value = this.readValue(r, f.value, depth);
    // Only Go scalars have omitempty zero values; special messages are structs in Go.
    const droppable = f.value.kind !== 'special' && !f.keepZero && isZero(value);
    if (value === null || droppable) {
      delete out[f.json];
    } else {
      out[f.json] = value;
    }
  }
}

/** Decodes a message's bytes into a fresh JSON object. */
export function decodeMessage(
  buf: Uint8Array,
  def: MessageDef,
  ctx: DecodeContext,
  depth = 0,
): JsonObject {
  const out: JsonObject = {};
  new MessageDecoder(ctx).decodeInto(out, buf, def, depth);
  return out;
}
