// Hostile input: random bytes, truncated and bit-flipped fixtures, deep nesting and huge length
// prefixes must all end in a 400 BadRequest (or a decoded object), never in another error.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.js';
import { decodeProtobufObject } from './decode.js';
import { WireWriter, kubeEnvelope } from './wire-writer.js';

const FIXTURES = new URL('../../../test/fixtures/protobuf/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.pb'))
  .map((f) => readFileSync(new URL(f, FIXTURES)));
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decodes, and fails the test on any outcome but success or a 400 BadRequest ApiError. */
function survives(body: Uint8Array): 'decoded' | 'rejected' {
  try {
    decodeProtobufObject(body);
    return 'decoded';
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 400) {
      throw new Error(`unexpected ${String(err)} for ${Buffer.from(body).toString('hex')}`, {
        cause: err,
      });
    }
    expect(err.message).toMatch(/^unable to decode protobuf body: /);
    return 'rejected';
  }
}

describe('hostile protobuf bodies', () => {
  it('rejects random bytes, with and without the magic prefix', () => {
    const rand = prng(1);
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 64);
      const bytes = Array.from({ length: len }, () => Math.floor(rand() * 256));
      survives(Uint8Array.from(i % 2 === 0 ? [...MAGIC, ...bytes] : bytes));
    }
  });

  it('survives every truncation of every fixture, and rejects cuts inside the object', () => {
    for (const fx of fixtures) {
      for (let n = 0; n < fx.length; n++) {
        survives(fx.subarray(0, n));
      }
      // Cutting inside the raw object always breaks a length prefix.
      expect(survives(fx.subarray(0, fx.length - 5))).toBe('rejected');
    }
  });

  it('survives random byte corruption of every fixture', () => {
    const rand = prng(2);
    for (const fx of fixtures) {
      for (let i = 0; i < 300; i++) {
        const copy = Uint8Array.from(fx);
        for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
          const at = MAGIC.length + Math.floor(rand() * (copy.length - MAGIC.length));
          copy[at] = Math.floor(rand() * 256);
        }
        survives(copy);
      }
    }
  });

  it('rejects a huge length prefix without allocating', () => {
    const huge = new WireWriter()
      .raw(MAGIC)
      .tag(2, 2)
      .rawVarint(2n ** 62n)
      .raw([1, 2, 3])
      .finish();
    expect(() => decodeProtobufObject(huge)).toThrow(/exceeds the 3 bytes left/);
  });

  it('rejects RawExtensions nested beyond the depth limit', () => {
    // ControllerRevision.data is a RawExtension, which may hold another k8s\0 object.
    let inner = kubeEnvelope('apps/v1', 'ControllerRevision', new Uint8Array(0));
    for (let i = 0; i < 100; i++) {
      const raw = new WireWriter().message(2, (d) => d.bytes(1, inner)).finish();
      inner = kubeEnvelope('apps/v1', 'ControllerRevision', raw);
    }
    expect(() => decodeProtobufObject(inner)).toThrow(/nested deeper than 64/);
  });

  it('decodes a shallow nested RawExtension object', () => {
    const pod = kubeEnvelope(
      'v1',
      'Pod',
      new WireWriter().message(1, (m) => m.string(1, 'p')).finish(),
    );
    const raw = new WireWriter()
      .message(2, (d) => d.bytes(1, pod))
      .varint(3, 2)
      .finish();
    expect(decodeProtobufObject(kubeEnvelope('apps/v1', 'ControllerRevision', raw))).toStrictEqual({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {},
      data: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
      revision: 2,
    });
  });

  it('decodes a large object quickly', () => {
    const labels = new WireWriter();
    for (let i = 0; i < 20000; i++) {
      labels.message(11, (e) => e.string(1, `key-${i}`).string(2, `value-${i}`));
    }
    const raw = new WireWriter().bytes(1, labels.finish()).finish();
    const start = performance.now();
    const got = decodeProtobufObject(kubeEnvelope('v1', 'ConfigMap', raw));
    expect(Object.keys(got.metadata.labels ?? {})).toHaveLength(20000);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
