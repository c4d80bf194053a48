// Resources computed on request instead of stored (metrics.k8s.io): a provider answers get and
// list; watch and writes are refused the way the apiserver refuses verbs a storage lacks.
import type { KubeObject } from '../../apis/meta.js';
import { apiVersionOf } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { responseShape } from '../http/negotiate.js';
import { sendJson } from '../http/respond.js';
import { partialMetadata, toTable } from '../table.js';
import type { HandlerContext } from './context.js';
import { includeObject } from './resource.js';

export interface ComputedListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Answers one read-only resource. `namespace` is '' for cluster-scoped resources and for lists
 * across all namespaces. Objects come without apiVersion/kind; errors are ApiErrors.
 */
export interface ComputedResource {
  get(namespace: string, name: string): Promise<KubeObject>;
  list(namespace: string, opts: ComputedListOptions): Promise<KubeObject[]>;
}

/** Serves get and list from the provider; 405 for everything else. */
export async function serveComputed(
  ctx: HandlerContext,
  provider: ComputedResource,
): Promise<void> {
  const { info } = ctx;
  const { rt } = ctx.scope;
  if (info.subresource) {
    // Computed resources have no subresources (not even status).
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  switch (info.verb) {
    case 'get':
      return sendComputed(ctx, await provider.get(info.namespace, info.name));
    case 'list':
      return sendComputed(ctx, await provider.list(info.namespace, listOptions(ctx.query)));
    case 'watch':
      // NewMethodNotSupported, named by the resource as routed (`pods.metrics.k8s.io`).
      throw new ApiError(
        405,
        'MethodNotAllowed',
        `watch is not supported on resources of kind "${rt.resource}.${rt.group}"`,
        { group: rt.group, kind: rt.resource },
      );
    default:
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
  }
}

function listOptions(query: URLSearchParams): ComputedListOptions {
  const labelSelector = query.get('labelSelector');
  const fieldSelector = query.get('fieldSelector');
  return {
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
}

/** One object (get) or a list, as JSON, Table or partial metadata per the Accept header. */
function sendComputed(ctx: HandlerContext, result: KubeObject | KubeObject[]): void {
  const { rt, version } = ctx.scope;
  const apiVersion = apiVersionOf(rt.group, version.version);
  const typed = (o: KubeObject): KubeObject => ({ kind: rt.kind, apiVersion, ...o });
  const items = Array.isArray(result) ? result : [result];
  const opts = { warnings: ctx.warnings };
  switch (responseShape(ctx.req.headers.accept)) {
    case 'table': {
      const table = toTable(
        rt,
        items,
        {},
        { includeObject: includeObject(ctx), now: ctx.now(), served: typed },
      );
      return sendJson(ctx.res, 200, table, opts);
    }
    case 'metadata':
      return Array.isArray(result)
        ? sendJson(
            ctx.res,
            200,
            {
              kind: 'PartialObjectMetadataList',
              apiVersion: 'meta.k8s.io/v1',
              metadata: {},
              items: items.map(partialMetadata),
            },
            opts,
          )
        : sendJson(ctx.res, 200, partialMetadata(result), opts);
    case 'json':
      // Typed lists carry no apiVersion/kind on their items, as upstream encodes them.
      return Array.isArray(result)
        ? sendJson(ctx.res, 200, { kind: `${rt.kind}List`, apiVersion, metadata: {}, items }, opts)
        : sendJson(ctx.res, 200, typed(result), opts);
  }
}
