// nodes/<name>/proxy/...: the kubelet endpoints kubeproc's node serves through the API
// (stats/summary, the metrics server's source), as the apiserver proxies them to a kubelet.
import { ApiError } from '../../lib/errors.js';
import { sendJson } from '../http/respond.js';
import type { ApiHandler } from '../server.js';

/** One kubelet path (e.g. `stats/summary`) answered with JSON. */
export type NodeEndpoint = () => unknown;

/** Serves GET nodes/<nodeName>/proxy/<path> from `endpoints`; other nodes have no kubelet here. */
export function registerNodeProxy(
  handler: ApiHandler,
  nodeName: string,
  endpoints: Record<string, NodeEndpoint>,
): void {
  handler.registerSubresource('', 'nodes', 'proxy', (ctx) => {
    ctx.svc.getStored(ctx.scope, ctx.info.name);
    if (ctx.info.name !== nodeName) {
      throw new ApiError(
        503,
        'ServiceUnavailable',
        `no kubelet is running node "${ctx.info.name}"`,
      );
    }
    if (ctx.info.verb !== 'get') {
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }
    const endpoint = endpoints[ctx.info.subpath.replace(/\/+$/, '')];
    if (!endpoint) {
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
    }
    sendJson(ctx.res, 200, endpoint());
    return Promise.resolve();
  });
}
