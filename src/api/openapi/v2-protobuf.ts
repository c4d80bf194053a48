// The OpenAPI v2 document kubectl 1.27/1.28 insist on downloading (in protobuf) before they apply:
// a gnostic openapi_v2.Document holding only `swagger` and `info`, which is all they need.

/** The Content-Type to answer /openapi/v2 with (`.v1.0`, not the `@v1.0` kubectl sends). */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** `openapi_v2.Document{swagger: "2.0", info: {title: "Kubernetes", version}}` encoded. */
export function minimalV2Document(serverVersion: string): Buffer {
  const info = Buffer.concat([stringField(1, 'Kubernetes'), stringField(2, serverVersion)]);
  return Buffer.concat([stringField(1, '2.0'), bytesField(2, info)]);
}

function stringField(fieldNumber: number, value: string): Buffer {
  return bytesField(fieldNumber, Buffer.from(value, 'utf8'));
}

// Wire type 2 (length-delimited): tag byte, varint length, bytes.
function bytesField(fieldNumber: number, value: Buffer): Buffer {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(value.length), value]);
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
