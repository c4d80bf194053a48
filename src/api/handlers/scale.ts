// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and other kinds
// that declare ScaleAccess, over HTTP: GET, PUT and PATCH.
import type { KubeObject } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { decodeBody, mediaType, readBody, asKubeObject } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { applyJsonPatch, applyMergePatch } from '../patch/index.js';
import { PATCH_CONTENT_TYPES } from '../rest/patch.js';
import { getScale, updateScale } from '../rest/scale.js';
import type { HandlerContext } from './context.js';
import { writeOptions } from './resource.js';

/** GET, PUT and PATCH of `<resource>/scale`. */
export async function serveScale(ctx: HandlerContext): Promise<void> {
  const current = getScale(ctx.svc, ctx.scope, ctx.info.name);
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
  const scale = updateScale(ctx.svc, ctx.scope, ctx.info.name, wanted, opts);
  sendJson(ctx.res, 200, scale, { warnings: ctx.warnings });
}
