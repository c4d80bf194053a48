// A minimal protobuf writer: builds hand-made bodies for the decoder's tests, and is the seed of
// an encoder should the server ever answer in protobuf.

/** Appends protobuf fields; every method returns `this` so bodies read as one expression. */
export class WireWriter {
  private readonly parts: number[] = [];

  /** A raw varint with no tag (negative numbers as 64-bit two's complement, as Go writes them). */
  rawVarint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.rawVarint(field * 8 + wireType);
  }

  varint(field: number, value: number | bigint | boolean): this {
    return this.tag(field, 0).rawVarint(typeof value === 'boolean' ? Number(value) : value);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, 2).rawVarint(value.length).raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message, built by `build` on a fresh writer. */
  message(field: number, build: (w: WireWriter) => unknown): this {
    const inner = new WireWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  double(field: number, value: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return this.tag(field, 1).raw(b);
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.tag(field, 5).raw(b);
  }

  /** Appends bytes verbatim (for malformed-input tests). */
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) {
      this.parts.push(bytes[i] ?? 0);
    }
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A request body: `k8s\0` + runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
export function kubeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const unknown = new WireWriter()
    .message(1, (t) => t.string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .string(3, '')
    .string(4, '')
    .finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}

/** Fills a nested message; used with WireWriter.message. */
export type Build = (w: WireWriter) => unknown;

/** A request body whose object message is filled by `build`. */
export function kubeObject(apiVersion: string, kind: string, build: Build): Uint8Array {
  const raw = new WireWriter();
  build(raw);
  return kubeEnvelope(apiVersion, kind, raw.finish());
}

/** The ObjectMeta Go writes for a name and namespace: every non-pointer scalar, even zero. */
export function goObjectMeta(name: string, namespace = ''): Build {
  return (m) =>
    m
      .string(1, name)
      .string(2, '')
      .string(3, namespace)
      .string(4, '')
      .string(5, '')
      .string(6, '')
      .varint(7, 0)
      .message(8, () => undefined);
}
