// Resources computed on request instead of stored (metrics.k8s.io): a provider answers get and
// list; watch and writes are refused the way the apiserver refuses verbs a storage lacks. Groups
// whose paths are no fixed resource list (custom.metrics.k8s.io `<resource>/<name>/<metric>`,
// external.metrics.k8s.io `<metric>`) are routed whole to a ComputedGroup.
import type { KubeObject } from '../../apis/meta.js';
import type { ResourceType, VersionInfo } from '../../apis/resource-type.js';
import { apiVersionOf } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { responseShape } from '../http/negotiate.js';
import { sendJson } from '../http/respond.js';
import { partialMetadata, toTable } from '../table.js';
import { ResourceRegistry } from '../registry.js';
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
  if (provider instanceof ComputedGroupResource) {
    return serveComputedGroup(ctx, provider.computedGroup);
  }
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

/** One GET of a computed group as routed: `[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]`. */
export interface ComputedGroupRequest {
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
}

/** A discovery entry of a computed group (metav1.APIResource), such as `pods/http_requests`. */
export interface ComputedGroupResourceEntry {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** A read-only group answered whole: discovery from `resources`, every GET from `get`. */
export interface ComputedGroup {
  group: string;
  /** Preferred first. */
  versions: string[];
  resources(version: string): ComputedGroupResourceEntry[];
  /** The response body; rejects with an ApiError. */
  get(req: ComputedGroupRequest): Promise<object>;
}

/** The resource name a computed group is registered under with registerComputed. */
export const COMPUTED_GROUP_RESOURCE = '*';

/** Adapts a ComputedGroup to registerComputed(group, COMPUTED_GROUP_RESOURCE, ...). */
export class ComputedGroupResource implements ComputedResource {
  constructor(readonly computedGroup: ComputedGroup) {}

  get(): Promise<KubeObject> {
    return Promise.reject(notFoundPath());
  }

  list(): Promise<KubeObject[]> {
    return Promise.reject(notFoundPath());
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

async function serveComputedGroup(ctx: HandlerContext, group: ComputedGroup): Promise<void> {
  const { info } = ctx;
  if (info.verb !== 'get' && info.verb !== 'list') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  if (info.subpath) {
    throw notFoundPath();
  }
  const body = await group.get({
    version: info.version,
    namespace: info.namespace,
    resource: info.resource,
    name: info.name,
    subresource: info.subresource,
    query: ctx.query,
  });
  sendJson(ctx.res, 200, body, { warnings: ctx.warnings });
}

function baseType(
  group: string,
  version: string,
): Omit<ResourceType, 'resource' | 'kind' | 'namespaced'> {
  return {
    group,
    singular: '',
    shortNames: [],
    categories: [],
    versions: [{ version }],
    storageVersion: version,
    subresources: [],
    hasGeneration: false,
    strategy: {},
    verbs: ['get'],
  };
}

/**
 * The served resources plus computed groups: lookups in such a group route every path to its
 * ComputedGroupResource, and discovery lists what the group lists at the time of the request.
 */
export class ComputedGroupRegistry extends ResourceRegistry {
  constructor(
    resources: ResourceType[],
    private readonly computedGroups: readonly ComputedGroup[],
  ) {
    super(resources);
  }

  private computed(group: string, version?: string): ComputedGroup | undefined {
    return this.computedGroups.find(
      (g) => g.group === group && (version === undefined || g.versions.includes(version)),
    );
  }

  /**
   * Scope follows the resource the path names (`nodes/*` is root-scoped, `pods/*` and external
   * metric names are namespaced), so the API's namespace checks accept both path shapes.
   */
  private isNamespaced(resource: string): boolean {
    const dot = resource.indexOf('.');
    const [name, group] =
      dot < 0 ? [resource, ''] : [resource.slice(0, dot), resource.slice(dot + 1)];
    return this.storage(group, name)?.rt.namespaced ?? true;
  }

  override lookup(
    group: string,
    version: string,
    resource: string,
  ): { rt: ResourceType; version: VersionInfo } | undefined {
    if (!this.computed(group, version)) {
      return super.lookup(group, version, resource);
    }
    const rt: ResourceType = {
      ...baseType(group, version),
      resource: COMPUTED_GROUP_RESOURCE,
      kind: '',
      namespaced: this.isNamespaced(resource),
    };
    return { rt, version: { version } };
  }

  override groups(): { group: string; versions: string[] }[] {
    const own = super.groups();
    const extra = this.computedGroups
      .filter((g) => !own.some((o) => o.group === g.group))
      .map((g) => ({ group: g.group, versions: [...g.versions] }));
    return [...own, ...extra];
  }

  override resourcesIn(
    group: string,
    version: string,
  ): { rt: ResourceType; version: VersionInfo }[] {
    const g = this.computed(group, version);
    if (!g) {
      return super.resourcesIn(group, version);
    }
    return g.resources(version).map((r) => ({
      rt: {
        ...baseType(group, version),
        resource: r.name,
        kind: r.kind,
        singular: r.singularName,
        namespaced: r.namespaced,
        verbs: [...r.verbs],
      },
      version: { version },
    }));
  }
}
