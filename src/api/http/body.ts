// Reading and decoding request bodies: size limit, JSON / YAML / protobuf, nesting limit.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../apis/meta.js';
import { decodeProtobufObject } from '../../apis/protobuf/decode.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { findDuplicateFields } from '../../apis/schema/index.js';

/** Upstream's limit on request bodies (3 MiB, etcd's value limit plus overhead). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
const MAX_DEPTH = 100;

/** Reads the whole body, refusing more than limit bytes with 413. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export interface DecodedBody {
  value: unknown;
  /** Paths of keys that appear twice (JSON only). */
  duplicates: string[];
}

/** The media type without parameters, lower-cased; missing means JSON. */
export function mediaType(contentType: string | undefined): string {
  return (
    (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() || 'application/json'
  );
}

/** Decodes a body by its media type. */
export function decodeBody(buf: Buffer, type: string): DecodedBody {
  let value: unknown;
  let duplicates: string[] = [];
  if (type === 'application/vnd.kubernetes.protobuf') {
    value = decodeProtobufObject(buf);
  } else if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    value = parseYamlBody(buf.toString('utf8'));
  } else if (type.endsWith('json')) {
    const text = buf.toString('utf8');
    value = parseJsonBody(text);
    duplicates = findDuplicateFields(text);
  } else {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  checkDepth(value);
  return { value, duplicates };
}

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseYamlBody(text: string): unknown {
  try {
    // maxAliasCount bounds alias expansion, so a "billion laughs" body is refused, not expanded.
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }) as unknown;
  } catch (e) {
    throw badRequest(`yaml parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Refuses bodies nested deeper than any Kubernetes object is (iterative, stack-safe). */
function checkDepth(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > MAX_DEPTH) {
      throw badRequest(`the request body is nested too deeply: more than ${MAX_DEPTH} levels`);
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
}

/** The body as an API object, or 400 naming what is wrong. */
export function asKubeObject(value: unknown): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(value)?.slice(0, 200)}'`);
  }
  const obj = value as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) {
    obj.metadata = {};
  } else if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) {
    throw badRequest('metadata must be an object');
  }
  return obj;
}
