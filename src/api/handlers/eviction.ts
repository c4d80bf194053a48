// POST pods/<name>/eviction: decodes a policy/v1 (or v1beta1) Eviction, merges its dry-run with
// the request's, evicts (evict-pod.ts) and answers as the apiserver's create handler does.
import type { KubeObject } from '../../apis/meta.js';
import type { ResourceType, VersionInfo } from '../../apis/resource-type.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { asKubeObject, decodeBody, mediaType, readBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { DeleteOptions } from '../rest/delete.js';
import type { HandlerContext, SubresourceHandler } from './context.js';
import { evictPod } from './evict-pod.js';
import { writeOptions } from './resource.js';

const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
const PROPAGATION_POLICIES = ['Orphan', 'Background', 'Foreground'];

/** The pods/eviction handler; budgets are read and written as `pdb` (policy poddisruptionbudgets). */
export function evictionHandler(pdb: {
  rt: ResourceType;
  version: VersionInfo;
}): SubresourceHandler {
  return async (ctx) => {
    if (ctx.info.verb !== 'create') {
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }
    const opts = writeOptions(ctx);
    const eviction = await decodeEviction(ctx);
    const deleteOptions = mergeDryRun(eviction, ctx.query.getAll('dryRun'));
    const status = evictPod(ctx.svc, {
      podScope: ctx.scope,
      pdbScope: { ...pdb, namespace: ctx.scope.namespace },
      name: ctx.info.name,
      deleteOptions,
      opts,
      now: ctx.now(),
    });
    // A Status result keeps its own code: 201 on success, 500 for several budgets.
    sendJson(ctx.res, status.code, status, { warnings: ctx.warnings });
  };
}

async function decodeEviction(ctx: HandlerContext): Promise<KubeObject> {
  const body = await readBody(ctx.req);
  const eviction = asKubeObject(decodeBody(body, mediaType(ctx.req.headers['content-type'])).value);
  const { apiVersion, kind } = eviction;
  if (
    apiVersion !== undefined &&
    apiVersion !== '' &&
    !EVICTION_VERSIONS.includes(String(apiVersion))
  ) {
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (policy/v1)`,
    );
  }
  if (kind !== undefined && kind !== '' && kind !== 'Eviction') {
    throw badRequest(
      `the kind in the data (${String(kind)}) does not match the expected kind (Eviction)`,
    );
  }
  if ((eviction.metadata.name ?? '') !== ctx.info.name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  const namespace = eviction.metadata.namespace;
  if (namespace && namespace !== ctx.scope.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  return eviction;
}

/**
 * propagateDryRun: the request's dryRun fills the eviction's when that one is empty; both set
 * must agree.
 */
export function mergeDryRun(eviction: KubeObject, requestDryRun: string[]): DeleteOptions {
  const raw = eviction.deleteOptions;
  if (raw === undefined || raw === null) {
    return requestDryRun.length > 0 ? { dryRun: requestDryRun } : {};
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw badRequest('deleteOptions must be an object');
  }
  const options = { ...(raw as DeleteOptions) };
  checkDeleteOptions(options);
  const own = options.dryRun ?? [];
  if (own.length === 0) {
    return requestDryRun.length > 0 ? { ...options, dryRun: requestDryRun } : options;
  }
  if (requestDryRun.length > 0 && own.join('\0') !== requestDryRun.join('\0')) {
    // Upstream returns a plain error here, which the apiserver answers as a 500 with no reason.
    throw new ApiError(
      500,
      '',
      `Non-matching dry-run options in request and content: [${requestDryRun.join(' ')}] and [${own.join(' ')}]`,
    );
  }
  return options;
}

function checkDeleteOptions(options: DeleteOptions): void {
  if (options.dryRun !== undefined && !Array.isArray(options.dryRun)) {
    throw badRequest('deleteOptions.dryRun must be a list');
  }
  const invalid = (options.dryRun ?? []).filter((d) => d !== 'All');
  if (invalid.length > 0) {
    throw badRequest(`Invalid dryRun value: ${invalid.join(', ')}: supported values: "All"`);
  }
  const policy = options.propagationPolicy;
  if (policy !== undefined && !PROPAGATION_POLICIES.includes(policy)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
}
