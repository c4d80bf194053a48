// The API server's HTTP front: authentication, routing to discovery, OpenAPI, version and
// resource handlers, and the one place where errors become Kubernetes Status responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError, internalError } from '../lib/errors.js';
import type { Discovery } from './discovery.js';
import { serveComputed } from './handlers/computed.js';
import type { ComputedResource } from './handlers/computed.js';
import type { SubresourceHandler, HandlerContext } from './handlers/context.js';
import { serveResource } from './handlers/resource.js';
import { serveScale } from './handlers/scale.js';
import type { WatchSettings } from './handlers/watch.js';
import { aggregatedDiscoveryVersion } from './http/negotiate.js';
import { sendJson, sendStatus } from './http/respond.js';
import type { OpenApi } from './openapi/index.js';
import type { ResourceRegistry } from './registry.js';
import { parseRequestInfo } from './request-info.js';
import type { NonResourceRequestInfo, ResourceRequestInfo } from './request-info.js';
import type { ResourceService } from './rest/resource-service.js';

export interface VersionInfoBody {
  major: string;
  minor: string;
  gitVersion: string;
  [k: string]: string;
}

export interface ApiHandlerDeps {
  registry: ResourceRegistry;
  discovery: Discovery;
  openapi: OpenApi;
  svc: ResourceService;
  version: VersionInfoBody;
  log: Logger;
  /** When set, every request but health and version checks needs `Authorization: Bearer`. */
  token?: string;
  now: () => Date;
  /** How often watches that allow bookmarks get one (upstream: about a minute). */
  bookmarkIntervalMs?: number;
}

/** Paths anyone may read, as upstream's system:public-info-viewer role allows. */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class ApiHandler {
  private readonly subresources = new Map<string, SubresourceHandler>();
  private readonly computed = new Map<string, ComputedResource>();
  private readonly nonResource = new Map<
    string,
    (req: IncomingMessage, res: ServerResponse) => void
  >();
  private readonly shutdownController = new AbortController();
  private readonly watch: WatchSettings;

  constructor(private readonly deps: ApiHandlerDeps) {
    this.watch = {
      bookmarkIntervalMs: deps.bookmarkIntervalMs ?? 60_000,
      encodings: new WeakMap(),
    };
  }

  /** Registers the handler of `<resource>/<subresource>` in a group, e.g. `/pods/log`. */
  registerSubresource(
    group: string,
    resource: string,
    subresource: string,
    handler: SubresourceHandler,
  ): void {
    this.subresources.set(`${group}/${resource}/${subresource}`, handler);
  }

  /**
   * Serves a registered, never-stored resource (metrics.k8s.io) from `provider`: get and list,
   * 405 for other verbs. Register it before the first request.
   */
  registerComputed(group: string, resource: string, provider: ComputedResource): void {
    this.computed.set(`${group}/${resource}`, provider);
  }

  /** Serves a non-resource path (such as /metrics) with handler; register before serving. */
  registerNonResource(
    path: string,
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): void {
    this.nonResource.set(path, handler);
  }

  /** Ends long-running requests (watches, log follows) for a clean shutdown. */
  shutdown(): void {
    this.shutdownController.abort();
  }

  /** The request listener for node:http / node:https servers. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((e: unknown) => this.fail(req, res, e));
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (this.deps.token && !PUBLIC_PATHS.has(url.pathname) && !this.authorized(req)) {
      throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    }
    const info = parseRequestInfo(
      req.method ?? 'GET',
      url.pathname,
      url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1',
    );
    if (info.isResourceRequest) {
      return this.handleResource(req, res, info, url.searchParams);
    }
    return this.handleNonResource(req, res, info);
  }

  /** The request carries the bearer token, or none is required (also for upgrades). */
  authorized(req: IncomingMessage): boolean {
    if (!this.deps.token) {
      return true;
    }
    const header = req.headers.authorization ?? '';
    const expected = Buffer.from(`Bearer ${this.deps.token ?? ''}`);
    const got = Buffer.from(header);
    return got.length === expected.length && timingSafeEqual(got, expected);
  }

  private handleNonResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: NonResourceRequestInfo,
  ): void {
    const { discovery } = this.deps;
    if (info.discovery) {
      return this.handleDiscovery(req, res, info.discovery);
    }
    const path = info.path.replace(/\/+$/, '') || '/';
    if (path === '/version') {
      return sendJson(res, 200, this.deps.version);
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') {
      res.writeHead(200, {
        'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      });
      res.end(this.deps.openapi.v2Protobuf());
      return;
    }
    if (path === '/openapi/v3') {
      return sendJson(res, 200, this.deps.openapi.v3Index());
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.deps.openapi.v3Document(path.slice('/openapi/v3/'.length));
      if (doc) {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Cache-Control': 'public, immutable',
          Expires: new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString(),
          Etag: `"${doc.hash}"`,
        });
        res.end(doc.body);
        return;
      }
    }
    const registered = this.nonResource.get(path);
    if (registered) {
      return registered(req, res);
    }
    if (path === '/') {
      return sendJson(res, 200, {
        paths: [
          '/api',
          '/api/v1',
          '/apis',
          '/healthz',
          '/livez',
          '/openapi/v2',
          '/openapi/v3',
          '/readyz',
          '/version',
        ],
      });
    }
    void discovery;
    throw notFoundPath();
  }

  private handleDiscovery(
    req: IncomingMessage,
    res: ServerResponse,
    d: NonNullable<NonResourceRequestInfo['discovery']>,
  ): void {
    const { discovery } = this.deps;
    const aggregated = aggregatedDiscoveryVersion(req.headers.accept);
    const isRoot = d.legacy ? !d.version : !d.group;
    if (isRoot && aggregated) {
      return sendJson(res, 200, discovery.aggregated(d.legacy, aggregated), {
        contentType: `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
      });
    }
    if (d.legacy) {
      const body = d.version ? discovery.resourceList('', d.version) : discovery.apiVersions();
      if (!body) {
        throw notFoundPath();
      }
      return sendJson(res, 200, body);
    }
    const body = !d.group
      ? discovery.apiGroupList()
      : d.version
        ? discovery.resourceList(d.group, d.version)
        : discovery.apiGroup(d.group);
    if (!body) {
      throw notFoundPath();
    }
    sendJson(res, 200, body);
  }

  private async handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: ResourceRequestInfo,
    query: URLSearchParams,
  ): Promise<void> {
    const found = this.deps.registry.lookup(info.group, info.version, info.resource);
    if (!found) {
      throw notFoundPath();
    }
    const { rt, version } = found;
    const needsNamespace = rt.namespaced && !!info.name;
    if ((needsNamespace && !info.namespace) || (!rt.namespaced && info.namespace)) {
      throw notFoundPath();
    }
    const warnings = version.deprecationWarning ? [version.deprecationWarning] : [];
    const ctx: HandlerContext = {
      req,
      res,
      info,
      query,
      scope: { rt, version, namespace: info.namespace },
      svc: this.deps.svc,
      warnings,
      now: this.deps.now,
      shutdown: this.shutdownController.signal,
      watch: this.watch,
    };
    const computed = this.computed.get(`${rt.group}/${rt.resource}`);
    if (computed) {
      return serveComputed(ctx, computed);
    }
    if (!info.subresource || info.subresource === 'status') {
      if (
        info.subresource === 'status' &&
        (!rt.subresources.includes('status') || !['get', 'update', 'patch'].includes(info.verb))
      ) {
        throw notFoundPath();
      }
      return serveResource(ctx);
    }
    if (info.subresource === 'scale' && rt.scale) {
      return serveScale(ctx);
    }
    const handler = this.subresources.get(`${rt.group}/${rt.resource}/${info.subresource}`);
    if (!handler || !rt.subresources.includes(info.subresource as never)) {
      throw notFoundPath();
    }
    return handler(ctx);
  }

  private fail(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    if (e instanceof ApiError) {
      sendStatus(res, e.toStatus());
      return;
    }
    this.deps.log.error({ err: e, method: req.method, url: req.url }, 'request failed');
    sendStatus(res, internalError().toStatus());
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}
