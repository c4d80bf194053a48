// Tests: the byte layout of the minimal OpenAPI v2 protobuf document.
import { describe, expect, it } from 'vitest';
import { minimalV2Document, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './v2-protobuf.js';

describe('minimalV2Document', () => {
  it('encodes swagger "2.0" and info{title, version} as gnostic protobuf', () => {
    const expected = Buffer.concat([
      Buffer.from([0x0a, 0x03]),
      Buffer.from('2.0'),
      Buffer.from([0x12, 0x15, 0x0a, 0x0a]),
      Buffer.from('Kubernetes'),
      Buffer.from([0x12, 0x07]),
      Buffer.from('v1.27.1'),
    ]);
    expect(minimalV2Document('v1.27.1')).toEqual(expected);
    expect(expected).toHaveLength(28);
  });

  it('uses multi-byte lengths for long versions', () => {
    const version = `v1.32.4-${'x'.repeat(200)}`;
    const doc = minimalV2Document(version);
    // info is 12 + 3 + 208 = 223 bytes: length varint 0xdf 0x01; version length 208: 0xd0 0x01.
    expect([...doc.subarray(5, 8)]).toEqual([0x12, 0xdf, 0x01]);
    expect([...doc.subarray(20, 23)]).toEqual([0x12, 0xd0, 0x01]);
    expect(doc.subarray(23).toString()).toBe(version);
  });

  it('answers with the .v1.0 media type kubectl parses', () => {
    expect(OPENAPI_V2_PROTOBUF_CONTENT_TYPE).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
  });
});
