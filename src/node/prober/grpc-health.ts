// The few bytes of grpc.health.v1 the grpc probe speaks, written by hand: a length-prefixed
// HealthCheckRequest{service=1} and HealthCheckResponse{status=1}, plus gRPC's code names.

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** HealthCheckResponse.ServingStatus. */
export const SERVING_STATUS_NAMES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'SERVING',
  2: 'NOT_SERVING',
  3: 'SERVICE_UNKNOWN',
};

export const SERVING = 1;

/** google.golang.org/grpc/codes as their String() spells them. */
export const GRPC_CODE_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

export const GrpcCode = { Canceled: 1, DeadlineExceeded: 4, Unimplemented: 12, Internal: 13 };

/** Go's String() of a code: its name, or `Code(n)` outside the known range. */
export function grpcCodeName(code: number): string {
  return GRPC_CODE_NAMES[code] ?? `Code(${code})`;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A gRPC message frame (uncompressed flag, 4-byte big-endian length) holding the request. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  // proto3 leaves a field at its default value out: an empty service is an empty message.
  const message =
    name.length === 0
      ? Buffer.alloc(0)
      : Buffer.concat([Buffer.from([0x0a, ...varint(name.length)]), name]);
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get isDone(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) {
        throw new Error('unexpected EOF');
      }
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) {
        return result;
      }
    }
    throw new Error('integer overflow');
  }

  skip(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new Error('unexpected EOF');
    }
    this.pos += n;
  }
}

/** The status field of a HealthCheckResponse message body (0, UNKNOWN, when absent). */
export function decodeHealthCheckResponse(message: Buffer): number {
  const r = new Reader(message);
  let status = 0;
  while (!r.isDone) {
    const key = Number(r.varint());
    const wireType = key & 7;
    if (wireType === 0) {
      const value = r.varint();
      if (key >>> 3 === 1) {
        status = Number(BigInt.asIntN(32, value));
      }
    } else if (wireType === 1) {
      r.skip(8);
    } else if (wireType === 2) {
      r.skip(Number(r.varint()));
    } else if (wireType === 5) {
      r.skip(4);
    } else {
      throw new Error(`cannot parse invalid wire-format data`);
    }
  }
  return status;
}

/** The first message of a response body; undefined when the body holds none. */
export function firstMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5) {
    return undefined;
  }
  if (body.readUInt8(0) !== 0) {
    throw new Error('grpc: compressed flag set with identity or empty encoding');
  }
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) {
    return undefined;
  }
  return body.subarray(5, 5 + length);
}
