// The pod subresources a node agent serves (log, exec, attach, portforward): the API checks the
// pod and container as the apiserver does, then hands over to the agent's backend.
import type { KubeObject } from '../../apis/meta.js';
import type { PodNodeBackend } from '../../lib/pod-streams.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import {
  parseLogOptions,
  resolveContainer,
  serveLogStream,
  upgradeRequired,
  type StreamRoute,
} from '../streaming/index.js';
import type { ApiHandler } from '../server.js';
import type { HandlerContext } from './context.js';

function requireHost(pod: KubeObject): void {
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) {
    throw badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  }
}

async function serveLog(ctx: HandlerContext, backend: PodNodeBackend): Promise<void> {
  if (ctx.info.verb !== 'get') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const pod = ctx.svc.getStored(ctx.scope, ctx.info.name);
  const opts = parseLogOptions(ctx.query, ctx.info.name, ctx.now());
  const container = resolveContainer(pod, opts.container);
  requireHost(pod);
  const source = backend.logs(pod, container, opts.previous);
  await serveLogStream(ctx.res, source, { ...opts, container });
}

export type { PodNodeBackend };

/** Replaces the placeholders of log/exec/attach/portforward with the node agent's backend. */
export function registerPodNodeSubresources(handler: ApiHandler, backend: PodNodeBackend): void {
  handler.registerSubresource('', 'pods', 'log', (ctx) => serveLog(ctx, backend));
  for (const sub of ['exec', 'attach', 'portforward']) {
    handler.registerSubresource('', 'pods', sub, (ctx) => {
      ctx.svc.getStored(ctx.scope, ctx.info.name);
      return Promise.reject(upgradeRequired());
    });
  }
}

/** The route handleStreamingUpgrade asks before upgrading an exec/attach/portforward request. */
export function podStreamRoute(
  getPod: (namespace: string, name: string) => Promise<KubeObject>,
  backend: PodNodeBackend,
): StreamRoute {
  return async (target) => {
    const pod = await getPod(target.namespace, target.pod);
    const container =
      target.verb === 'portforward' ? '' : resolveContainer(pod, target.exec?.container ?? '');
    requireHost(pod);
    return { ...backend.stream(pod, container), container, uid: pod.metadata.uid };
  };
}
