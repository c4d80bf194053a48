// Pod subresources served by the API itself (binding) and the plumbing for those a node agent
// serves (log, exec, attach, portforward, eviction): until one registers, they answer clearly.
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest, conflict } from '../../lib/errors.js';
import { asKubeObject, decodeBody, mediaType, readBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { ApiHandler } from '../server.js';
import type { HandlerContext } from './context.js';
import { writeOptions } from './resource.js';

/** POST pods/<name>/binding: assigns the pod to a node, once (the scheduler's write). */
async function serveBinding(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'create') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const opts = writeOptions(ctx);
  const binding = asKubeObject(
    decodeBody(await readBody(ctx.req), mediaType(ctx.req.headers['content-type'])).value,
  );
  const target = (binding.target ?? {}) as { kind?: string; name?: string };
  if (!target.name) {
    throw new ApiError(
      422,
      'Invalid',
      `Binding "${ctx.info.name}" is invalid: target.name: Required value`,
      {
        name: ctx.info.name,
        kind: 'Binding',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }],
      },
    );
  }
  if (target.kind && target.kind !== 'Node') {
    throw badRequest(`the binding target must be a Node, got ${target.kind}`);
  }
  const pod = ctx.svc.getStored(ctx.scope, ctx.info.name);
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (pod.metadata.deletionTimestamp) {
    throw conflict(
      { group: '', resource: 'pods' },
      ctx.info.name,
      'pod is being deleted, cannot be assigned to a host',
    );
  }
  if (spec.nodeName) {
    throw conflict(
      { group: '', resource: 'pods' },
      ctx.info.name,
      `pod ${ctx.info.name} is already assigned to node "${spec.nodeName}"`,
    );
  }
  const next: KubeObject = structuredClone(pod);
  next.spec = { ...(next.spec as object), nodeName: target.name };
  ctx.svc.replaceStored(ctx.scope, pod, next, { ...opts, subresource: 'binding' });
  sendJson(ctx.res, 201, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    code: 201,
  });
}

function notServedYet(what: string): (ctx: HandlerContext) => Promise<void> {
  return (ctx) => {
    ctx.svc.getStored(ctx.scope, ctx.info.name);
    return Promise.reject(
      new ApiError(
        503,
        'ServiceUnavailable',
        `pods/${what} is not available: no node agent is running pods in this kubeproc`,
      ),
    );
  };
}

/** Registers binding and the placeholders a node agent replaces. */
export function registerPodSubresources(handler: ApiHandler): void {
  handler.registerSubresource('', 'pods', 'binding', serveBinding);
  for (const sub of ['log', 'exec', 'attach', 'portforward', 'eviction']) {
    handler.registerSubresource('', 'pods', sub, notServedYet(sub));
  }
}
