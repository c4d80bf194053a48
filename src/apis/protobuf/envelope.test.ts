// Envelope handling: 400 BadRequest messages for bodies the decoder cannot take, and the rarer
// envelopes it accepts (embedded JSON, no metadata).

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.js';
import { decodeProtobufObject } from './decode.js';
import { WireWriter, kubeObject, type Build } from './wire-writer.js';

const w = () => new WireWriter();
const body = kubeObject;

describe('envelope errors', () => {
  const decodeError = (b: Uint8Array): string => {
    try {
      decodeProtobufObject(b);
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(400);
      expect((err as ApiError).reason).toBe('BadRequest');
      return (err as ApiError).message;
    }
    throw new Error('decoded without error');
  };
  // A hand-made runtime.Unknown, for envelopes kubeEnvelope would not write.
  const unknown = (build: Build) => {
    const u = w();
    build(u);
    return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...u.finish()]);
  };

  it.each([
    {
      name: 'an unknown kind',
      b: body('batch/v1', 'Foo', () => 0),
      want: 'unable to decode protobuf body: no protobuf schema for batch/v1, Kind=Foo',
    },
    {
      name: 'a known kind under the wrong apiVersion',
      b: body('apps/v2', 'Deployment', () => 0),
      want: 'unable to decode protobuf body: no protobuf schema for apps/v2, Kind=Deployment',
    },
    {
      name: 'a missing kind',
      b: body('v1', '', () => 0),
      want: "unable to decode protobuf body: Object 'Kind' is missing",
    },
    {
      name: 'no magic',
      b: Uint8Array.from([0x7b, 0x7d]),
      want: 'unable to decode protobuf body: missing the k8s\\0 protobuf prefix',
    },
    {
      name: 'an empty body',
      b: new Uint8Array(0),
      want: 'unable to decode protobuf body: missing the k8s\\0 protobuf prefix',
    },
    {
      name: 'a gzip content encoding',
      b: unknown((u) =>
        u.message(1, (t) => t.string(1, 'v1').string(2, 'Namespace')).string(3, 'gzip'),
      ),
      want: 'unable to decode protobuf body: unsupported content encoding "gzip"',
    },
    {
      name: 'a yaml content type',
      b: unknown((u) =>
        u.message(1, (t) => t.string(1, 'v1').string(2, 'Namespace')).string(4, 'application/yaml'),
      ),
      want: 'unable to decode protobuf body: unsupported content type "application/yaml"',
    },
    {
      name: 'a varint envelope field',
      b: unknown((u) => u.varint(2, 1)),
      want: 'unable to decode protobuf body: envelope field 2: unexpected wire type 0',
    },
    {
      name: 'a wrong wire type inside the object',
      b: body('v1', 'Namespace', (n) => n.varint(1, 5)),
      want: 'unable to decode protobuf body: core.Namespace.metadata (field 1): wire type 0, expected 2',
    },
  ])('answers 400 for $name', ({ b, want }) => {
    expect(decodeError(b)).toBe(want);
  });

  it('accepts a JSON object carried in the envelope; the envelope type wins', () => {
    const json = '{"kind":"Other","metadata":{"name":"a"},"__proto__":{"polluted":true}}';
    const b = unknown((u) =>
      u
        .message(1, (t) => t.string(1, 'v1').string(2, 'Namespace'))
        .string(2, json)
        .string(4, 'application/json; charset=utf-8'),
    );
    const got = decodeProtobufObject(b);
    expect(Object.keys(got)).toEqual(['apiVersion', 'kind', 'metadata', '__proto__']);
    expect(got).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect('polluted' in got).toBe(false);
  });

  it('adds metadata: {} when the object carries none', () => {
    expect(decodeProtobufObject(body('v1', 'Namespace', () => 0))).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {},
    });
  });
});
