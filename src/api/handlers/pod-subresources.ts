// Pod subresources served by the API itself (binding, eviction) and the plumbing for those a
// node agent serves (log, exec, attach, portforward): until one registers, they answer clearly.
import { builtinResources } from '../../apis/builtin.js';
import type { ResourceType, VersionInfo } from '../../apis/resource-type.js';
import { ApiError } from '../../lib/errors.js';
import { bindPod } from '../rest/binding.js';
import { asKubeObject, decodeBody, mediaType, readBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { ApiHandler } from '../server.js';
import type { HandlerContext } from './context.js';
import { evictionHandler } from './eviction.js';
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
  bindPod(ctx.svc, ctx.scope, ctx.info.name, binding, opts);
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

/** Registers binding, eviction, and the placeholders a node agent replaces. */
export function registerPodSubresources(handler: ApiHandler): void {
  handler.registerSubresource('', 'pods', 'binding', serveBinding);
  handler.registerSubresource('', 'pods', 'eviction', evictionHandler(pdbType()));
  for (const sub of ['log', 'exec', 'attach', 'portforward']) {
    handler.registerSubresource('', 'pods', sub, notServedYet(sub));
  }
}

/** The policy/v1 PodDisruptionBudget type evictions read and write. */
function pdbType(): { rt: ResourceType; version: VersionInfo } {
  const rt = builtinResources().find(
    (r) => r.group === 'policy' && r.resource === 'poddisruptionbudgets',
  );
  const version = rt?.versions.find((v) => v.version === rt.storageVersion);
  if (!rt || !version) {
    throw new Error('policy/v1 poddisruptionbudgets is not a built-in resource');
  }
  return { rt, version };
}
