// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and other kinds
// that declare ScaleAccess.
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest, conflict, notFound, STALE_OBJECT } from '../../lib/errors.js';
import { decodeBody, mediaType, readBody, asKubeObject } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { applyJsonPatch, applyMergePatch } from '../patch/index.js';
import { PATCH_CONTENT_TYPES } from '../rest/patch.js';
import type { HandlerContext } from './context.js';
import { writeOptions } from './resource.js';

function scaleOf(ctx: HandlerContext, stored: KubeObject): KubeObject {
  const access = ctx.scope.rt.scale;
  if (!access) {
    throw notFound(
      { group: ctx.scope.rt.group, resource: `${ctx.scope.rt.resource}/scale` },
      ctx.info.name,
    );
  }
  const m = stored.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: access.specReplicas(stored) },
    status: { replicas: access.statusReplicas(stored), selector: access.selector(stored) },
  };
}

/** GET, PUT and PATCH of `<resource>/scale`. */
export async function serveScale(ctx: HandlerContext): Promise<void> {
  const stored = ctx.svc.getStored(ctx.scope, ctx.info.name);
  const current = scaleOf(ctx, stored);
  if (ctx.info.verb === 'get') {
    return sendJson(ctx.res, 200, current);
  }
  if (ctx.info.verb !== 'update' && ctx.info.verb !== 'patch') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const opts = writeOptions(ctx);
  const buf = await readBody(ctx.req);
  let wanted: KubeObject;
  if (ctx.info.verb === 'update') {
    wanted = asKubeObject(decodeBody(buf, mediaType(ctx.req.headers['content-type'])).value);
  } else {
    const type = PATCH_CONTENT_TYPES[mediaType(ctx.req.headers['content-type'])];
    const patch = decodeBody(buf, 'application/json').value;
    // A Scale has no lists, so strategic merge and merge patch coincide.
    wanted = asKubeObject(
      type === 'json' ? applyJsonPatch(current, patch) : applyMergePatch(current, patch),
    );
  }
  const rv = wanted.metadata.resourceVersion;
  if (rv && rv !== stored.metadata.resourceVersion) {
    throw conflict(
      { group: ctx.scope.rt.group, resource: ctx.scope.rt.resource },
      ctx.info.name,
      STALE_OBJECT,
    );
  }
  const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw badRequest('spec.replicas must be an integer');
  }
  if (replicas < 0) {
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${ctx.info.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
      {
        name: ctx.info.name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ],
      },
    );
  }
  const next = structuredClone(stored);
  ctx.scope.rt.scale?.setSpecReplicas(next, replicas);
  const updated = ctx.svc.replaceStored(ctx.scope, stored, next, { ...opts, subresource: 'scale' });
  const after = ctx.svc.getStored(ctx.scope, ctx.info.name);
  sendJson(ctx.res, 200, scaleOf(ctx, opts.dryRun ? updated : after), { warnings: ctx.warnings });
}
