// The protobuf request-body decoder: reads the `k8s\0` + runtime.Unknown envelope that kubectl
// 1.32+ sends (application/vnd.kubernetes.protobuf) and returns the object's JSON form.

import { badRequest } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import { MAX_DEPTH, decodeMessage, type DecodeContext } from './message.js';
import { buildSchema, messageForKind, type Schema } from './schema.js';
import { decodeString } from './special.js';
import { PACKAGES } from './tables/index.js';
import { ProtobufDecodeError, WireReader, WireType } from './wire.js';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

const SCHEMA: Schema = buildSchema(PACKAGES);

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

function expectBytes(field: number, wireType: number): void {
  if (wireType !== WireType.bytes) {
    throw new ProtobufDecodeError(`envelope field ${field}: unexpected wire type ${wireType}`);
  }
}

function readTypeMeta(buf: Uint8Array, env: Envelope): void {
  const r = new WireReader(buf);
  while (!r.done) {
    const { field, wireType } = r.readTag();
    if (field === 1 || field === 2) {
      expectBytes(field, wireType);
      env[field === 1 ? 'apiVersion' : 'kind'] = decodeString(r.readBytes());
    } else {
      r.skip(wireType);
    }
  }
}

/** Splits `k8s\0` + runtime.Unknown{1 typeMeta, 2 raw, 3 contentEncoding, 4 contentType}. */
function readEnvelope(body: Uint8Array): Envelope {
  if (body.length < MAGIC.length || !MAGIC.every((b, i) => body[i] === b)) {
    throw new ProtobufDecodeError('missing the k8s\\0 protobuf prefix');
  }
  const env: Envelope = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(0),
    contentEncoding: '',
    contentType: '',
  };
  const r = new WireReader(body.subarray(MAGIC.length));
  while (!r.done) {
    const { field, wireType } = r.readTag();
    if (field < 1 || field > 4) {
      r.skip(wireType);
      continue;
    }
    expectBytes(field, wireType);
    const bytes = r.readBytes();
    if (field === 1) {
      readTypeMeta(bytes, env);
    } else if (field === 2) {
      env.raw = bytes;
    } else {
      env[field === 3 ? 'contentEncoding' : 'contentType'] = decodeString(bytes);
    }
  }
  return env;
}

function decodeRaw(env: Envelope, depth: number): Record<string, unknown> {
  if (env.contentEncoding !== '') {
    throw new ProtobufDecodeError(`unsupported content encoding "${env.contentEncoding}"`);
  }
  const type = env.contentType.split(';')[0]?.trim() ?? '';
  if (type === 'application/json') {
    return parseJsonObject(env.raw);
  }
  if (type !== '' && type !== 'application/vnd.kubernetes.protobuf') {
    throw new ProtobufDecodeError(`unsupported content type "${env.contentType}"`);
  }
  const key = messageForKind(SCHEMA, env.apiVersion, env.kind);
  const def = key === undefined ? undefined : SCHEMA.messages.get(key);
  if (!def) {
    throw new ProtobufDecodeError(`no protobuf schema for ${env.apiVersion}, Kind=${env.kind}`);
  }
  const ctx: DecodeContext = { schema: SCHEMA, nested: decodeObject };
  const out = decodeMessage(env.raw, def, ctx, depth);
  // Go always writes ObjectMeta; other writers may not, and KubeObject requires it.
  if (def.fields.get(1)?.json === 'metadata' && out.metadata === undefined) {
    out.metadata = {};
  }
  return out;
}

function parseJsonObject(raw: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeString(raw));
  } catch {
    throw new ProtobufDecodeError('embedded JSON object is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtobufDecodeError('embedded JSON is not an object');
  }
  return parsed as Record<string, unknown>;
}

function decodeObject(body: Uint8Array, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) {
    throw new ProtobufDecodeError(`messages nested deeper than ${MAX_DEPTH}`);
  }
  const env = readEnvelope(body);
  if (env.kind === '') {
    throw new ProtobufDecodeError("Object 'Kind' is missing");
  }
  // The envelope's type wins over any apiVersion/kind inside embedded JSON.
  const out: Record<string, unknown> = { apiVersion: env.apiVersion, kind: env.kind };
  for (const [key, value] of Object.entries(decodeRaw(env, depth))) {
    if (key !== 'apiVersion' && key !== 'kind') {
      // defineProperty, not assignment: embedded JSON may carry an own `__proto__` key.
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/**
 * Decodes an `application/vnd.kubernetes.protobuf` request body into the JSON object the JSON
 * path would receive. DeleteOptions and Eviction come back as plain objects with apiVersion/kind.
 * Throws a 400 BadRequest ApiError for anything it cannot decode.
 */
export function decodeProtobufObject(body: Uint8Array): KubeObject {
  try {
    return decodeObject(body, 0) as KubeObject;
  } catch (err) {
    if (err instanceof ProtobufDecodeError || err instanceof RangeError) {
      throw badRequest(`unable to decode protobuf body: ${err.message}`);
    }
    throw err;
  }
}
