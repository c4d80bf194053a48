// HTTP verbs on a resource and its status subresource: decode the request, call the REST
// layer, negotiate the response (JSON, Table, metadata).
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { asKubeObject, decodeBody, mediaType, readBody } from '../http/body.js';
import { responseShape } from '../http/negotiate.js';
import { sendJson, sendJsonStreamed } from '../http/respond.js';
import type { FieldValidation, WriteOptions } from '../rest/context.js';
import { fromStorage, toStorage } from '../rest/convert.js';
import { deleteCollection, deleteObject } from '../rest/delete.js';
import { objectKey } from '../rest/keys.js';
import type { DeleteOptions } from '../rest/delete.js';
import { PATCH_CONTENT_TYPES, patchObject } from '../rest/patch.js';
import type { ListOptions } from '../rest/resource-service.js';
import { checkRequestFields } from '../rest/validate.js';
import { partialMetadata, toTable } from '../table.js';
import type { IncludeObject } from '../table.js';
import type { HandlerContext } from './context.js';
import { serveWatch } from './watch.js';

const FIELD_VALIDATION = new Set(['Strict', 'Warn', 'Ignore']);

/** Serves get, list, watch, create, update, patch, delete, deletecollection. */
export async function serveResource(ctx: HandlerContext): Promise<void> {
  const { info } = ctx;
  switch (info.verb) {
    case 'get':
      return sendObject(ctx, 200, ctx.svc.getStored(ctx.scope, info.name));
    case 'list':
      return serveList(ctx);
    case 'watch':
      return serveWatch(ctx);
    case 'create':
      return serveCreate(ctx);
    case 'update':
      return serveUpdate(ctx);
    case 'patch':
      return servePatch(ctx);
    case 'delete':
      return serveDelete(ctx);
    case 'deletecollection':
      return serveDeleteCollection(ctx);
    default:
      throw new ApiError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
  }
}

/** Answers with one stored object, shaped as the Accept header asks. */
export function sendObject(ctx: HandlerContext, code: number, stored: KubeObject): void {
  const shape = responseShape(ctx.req.headers.accept);
  if (shape === 'table') {
    const table = toTable(
      ctx.scope.rt,
      [stored],
      { resourceVersion: stored.metadata.resourceVersion ?? '' },
      {
        includeObject: includeObject(ctx),
        now: ctx.now(),
        served: (o) => fromStorage(ctx.scope.rt, ctx.scope.version, o),
      },
    );
    return sendJson(ctx.res, code, table, { warnings: ctx.warnings });
  }
  if (shape === 'metadata') {
    return sendJson(ctx.res, code, partialMetadata(stored), { warnings: ctx.warnings });
  }
  sendJson(ctx.res, code, fromStorage(ctx.scope.rt, ctx.scope.version, stored), {
    warnings: ctx.warnings,
  });
}

export function includeObject(ctx: HandlerContext): IncludeObject {
  const v = ctx.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function listOptions(query: URLSearchParams): ListOptions {
  const opts: ListOptions = {};
  const labelSelector = query.get('labelSelector');
  const fieldSelector = query.get('fieldSelector');
  const limit = query.get('limit');
  const cont = query.get('continue');
  if (labelSelector) {
    opts.labelSelector = labelSelector;
  }
  if (fieldSelector) {
    opts.fieldSelector = fieldSelector;
  }
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) {
      throw badRequest(`invalid limit "${limit}": must be a non-negative integer`);
    }
    opts.limit = n;
  }
  if (cont) {
    opts.continue = cont;
  }
  return opts;
}

/** Lists below this size go out as one body with a Content-Length; larger ones are streamed. */
const STREAM_THRESHOLD = 200;

async function serveList(ctx: HandlerContext): Promise<void> {
  const { scope } = ctx;
  const { items, metadata } = ctx.svc.listStored(scope, listOptions(ctx.query));
  const shape = responseShape(ctx.req.headers.accept);
  const served = (o: KubeObject): KubeObject => fromStorage(scope.rt, scope.version, o);
  let head: Record<string, unknown>;
  let key = 'items';
  let elements: unknown[] = items;
  let encode: ((item: unknown) => unknown) | undefined;
  if (shape === 'table') {
    const table = toTable(scope.rt, items, metadata, {
      includeObject: includeObject(ctx),
      now: ctx.now(),
      served,
    });
    const { rows, ...rest } = table as { rows: unknown[] } & Record<string, unknown>;
    head = rest;
    key = 'rows';
    elements = rows;
  } else if (shape === 'metadata') {
    head = { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata };
    encode = (o) => partialMetadata(o as KubeObject);
  } else {
    head = {
      kind: `${scope.rt.kind}List`,
      apiVersion: scope.rt.group
        ? `${scope.rt.group}/${scope.version.version}`
        : scope.version.version,
      metadata,
    };
    encode = (o) => served(o as KubeObject);
  }
  if (elements.length < STREAM_THRESHOLD) {
    const body = { ...head, [key]: encode ? elements.map(encode) : elements };
    return sendJson(ctx.res, 200, body, { warnings: ctx.warnings });
  }
  await sendJsonStreamed(ctx.res, 200, head, key, elements, {
    warnings: ctx.warnings,
    ...(encode ? { encode } : {}),
  });
}

export function writeOptions(ctx: HandlerContext): WriteOptions {
  const { query } = ctx;
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) {
    throw badRequest(`Invalid dryRun value: ${dryRun.join(', ')}: supported values: "All"`);
  }
  const fieldValidation = query.get('fieldValidation') ?? 'Warn';
  if (!FIELD_VALIDATION.has(fieldValidation)) {
    throw badRequest(
      `fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fieldValidation}"`,
    );
  }
  const manager = query.get('fieldManager') ?? defaultManager(ctx.req.headers['user-agent']);
  if (manager.length > 128) {
    throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  }
  return {
    dryRun: dryRun.length > 0,
    fieldManager: manager,
    fieldValidation: fieldValidation as FieldValidation,
    warnings: ctx.warnings,
  };
}

/** Upstream names an unnamed manager after the client's user agent (`kubectl`). */
function defaultManager(userAgent: string | undefined): string {
  return (userAgent ?? 'unknown').split('/')[0]?.slice(0, 128) || 'unknown';
}

async function decodedObject(ctx: HandlerContext, opts: WriteOptions): Promise<KubeObject> {
  const buf = await readBody(ctx.req);
  const decoded = decodeBody(buf, mediaType(ctx.req.headers['content-type']));
  const obj = asKubeObject(decoded.value);
  checkKind(ctx, obj);
  checkRequestFields({
    rt: ctx.scope.rt,
    version: ctx.scope.version.version,
    body: obj,
    duplicates: decoded.duplicates,
    mode: opts.fieldValidation ?? 'Warn',
    checker: ctx.svc.deps.fieldChecker,
    warnings: ctx.warnings,
  });
  return obj;
}

/** The body's apiVersion/kind, when given, must be the endpoint's. */
function checkKind(ctx: HandlerContext, obj: KubeObject): void {
  const { rt, version } = ctx.scope;
  const expected = rt.group ? `${rt.group}/${version.version}` : version.version;
  const kind = ctx.info.subresource === 'scale' ? 'Scale' : rt.kind;
  if (
    obj.apiVersion !== undefined &&
    obj.apiVersion !== expected &&
    ctx.info.subresource !== 'scale'
  ) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== kind && obj.kind !== '') {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${kind})`,
    );
  }
}

async function serveCreate(ctx: HandlerContext): Promise<void> {
  if (ctx.info.name || ctx.info.subresource) {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const opts = writeOptions(ctx);
  const obj = await decodedObject(ctx, opts);
  const created = ctx.svc.create(ctx.scope, obj, opts);
  sendObject(ctx, 201, toStorage(ctx.scope.rt, ctx.scope.version, created));
}

async function serveUpdate(ctx: HandlerContext): Promise<void> {
  const opts = writeOptions(ctx);
  const obj = await decodedObject(ctx, opts);
  const { object, created } = ctx.svc.update(ctx.scope, ctx.info.name, obj, {
    ...opts,
    subresource: ctx.info.subresource,
  });
  sendObject(ctx, created ? 201 : 200, toStorage(ctx.scope.rt, ctx.scope.version, object));
}

async function servePatch(ctx: HandlerContext): Promise<void> {
  const type = PATCH_CONTENT_TYPES[mediaType(ctx.req.headers['content-type'])];
  if (!type) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_CONTENT_TYPES).join(', ')}`,
    );
  }
  const opts = writeOptions(ctx);
  const buf = await readBody(ctx.req);
  const decoded = decodeBody(
    buf,
    type === 'apply' ? 'application/apply-patch+yaml' : 'application/json',
  );
  const force = ctx.query.get('force') === 'true';
  if (force && type !== 'apply') {
    throw badRequest('force is only allowed for apply patches');
  }
  if (type === 'apply' && decoded.value && typeof decoded.value === 'object') {
    checkKind(ctx, decoded.value as KubeObject);
    checkRequestFields({
      rt: ctx.scope.rt,
      version: ctx.scope.version.version,
      body: decoded.value,
      duplicates: decoded.duplicates,
      mode: opts.fieldValidation ?? 'Warn',
      checker: ctx.svc.deps.fieldChecker,
      warnings: ctx.warnings,
    });
  }
  const { object, created } = patchObject(ctx.svc, ctx.scope, ctx.info.name, type, decoded.value, {
    ...opts,
    subresource: ctx.info.subresource,
    force,
  });
  sendObject(ctx, created ? 201 : 200, toStorage(ctx.scope.rt, ctx.scope.version, object));
}

async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const buf = await readBody(ctx.req);
  let options: DeleteOptions = {};
  const type = mediaType(ctx.req.headers['content-type']);
  if (buf.length > 0) {
    try {
      options = decodeBody(buf, type).value as DeleteOptions;
    } catch (e) {
      // Old clients may send bodies we cannot read; upstream ignores undecodable DELETE bodies
      // only for protobuf, so anything else is still an error.
      if (type !== 'application/vnd.kubernetes.protobuf') {
        throw e;
      }
    }
  }
  const grace = ctx.query.get('gracePeriodSeconds');
  if (grace !== null) {
    options.gracePeriodSeconds = Number(grace);
  }
  const policy = ctx.query.get('propagationPolicy');
  if (policy) {
    if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw badRequest(
        `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  }
  return options ?? {};
}

async function serveDelete(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const opts = writeOptions(ctx);
  if ((options.dryRun ?? []).includes('All')) {
    opts.dryRun = true;
  }
  const result = deleteObject(ctx.svc, ctx.scope, ctx.info.name, options, opts);
  if (result.status) {
    return sendJson(ctx.res, 200, result.status, { warnings: ctx.warnings });
  }
  // Upstream answers 202 only when orphanDependents=false was asked and the object lingers.
  const key = objectKey(ctx.scope.rt, ctx.scope.namespace, ctx.info.name);
  const code = options.orphanDependents === false && ctx.svc.deps.store.get(key) ? 202 : 200;
  sendObject(ctx, code, toStorage(ctx.scope.rt, ctx.scope.version, result.object));
}

async function serveDeleteCollection(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const opts = writeOptions(ctx);
  const deleted = deleteCollection(ctx.svc, ctx.scope, listOptions(ctx.query), options, opts);
  const { rt, version } = ctx.scope;
  sendJson(
    ctx.res,
    200,
    {
      kind: `${rt.kind}List`,
      apiVersion: rt.group ? `${rt.group}/${version.version}` : version.version,
      metadata: { resourceVersion: String(ctx.svc.deps.store.revision) },
      items: deleted.map((o) => fromStorage(rt, version, o)),
    },
    { warnings: ctx.warnings },
  );
}
