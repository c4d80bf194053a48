// The HTTP Client: the same Client interface over any Kubernetes API server (kubeproc or real),
// with paths from cached discovery and error answers turned back into ApiErrors.
import type { KubeList, KubeObject } from '../apis/meta.js';
import type {
  Client,
  DeleteOptions,
  ListOptions,
  PatchType,
  PathTarget,
  ResourceRef,
  ServerResource,
  WatchCallbacks,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from './client.js';
import { DiscoveryCache } from './http-discovery.js';
import { readKubeconfig } from './http-kubeconfig.js';
import { HttpClientError, HttpTransport, isStatus } from './http-transport.js';
import type { HttpClientConfig } from './http-transport.js';
import { streamWatch } from './http-watch.js';

export { HttpClientError } from './http-transport.js';
export type { HttpClientConfig } from './http-transport.js';

/** The manager the in-process client uses too, so managedFields read the same either way. */
const DEFAULT_MANAGER = 'kubeproc';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // JSON is YAML, so apply bodies go out as JSON under the apply content type.
  apply: 'application/apply-patch+yaml',
};

interface Target {
  ref: ResourceRef;
  namespace: string;
  name?: string;
  subresource?: string;
}

export class HttpClient implements Client {
  private readonly transport: HttpTransport;
  private readonly discovery: DiscoveryCache;

  constructor(config: HttpClientConfig) {
    this.transport = new HttpTransport(config);
    this.discovery = new DiscoveryCache((path) => this.transport.json('GET', path));
  }

  /** A client for `context` (default: current-context) of the kubeconfig at path. */
  static async fromKubeconfig(path: string, context?: string): Promise<HttpClient> {
    return new HttpClient(await readKubeconfig(path, context));
  }

  /** Closes pooled connections (and cuts requests and watches in flight). */
  close(): void {
    this.transport.close();
  }

  /** Forgets cached discovery, so resources added since (CRDs) are found. */
  invalidateDiscovery(): void {
    this.discovery.invalidate();
  }

  serverResources(): Promise<ServerResource[]> {
    return this.discovery.serverResources();
  }

  async get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    const path = await this.path({ ref, namespace, name });
    return asObject(await this.transport.json('GET', path), path);
  }

  async list(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList> {
    const path = await this.path({ ref, namespace: opts.namespace ?? '' });
    const query = params({
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
    });
    const body = await this.transport.json('GET', path, { query });
    if (!Array.isArray((body as { items?: unknown } | null)?.items)) {
      throw new HttpClientError('InvalidResponse', `GET ${path}: the answer is not a list`);
    }
    return body as KubeList;
  }

  watch(ref: ResourceRef, opts: WatchOptions, callbacks: WatchCallbacks): WatchHandle {
    const query = params({
      watch: 'true',
      // Bookmarks move an informer's resourceVersion along, so resuming rarely meets 410 Gone.
      allowWatchBookmarks: 'true',
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    });
    const open = async (signal: AbortSignal) => {
      const path = await this.path({ ref, namespace: opts.namespace ?? '' });
      return this.transport.stream(path, { query, signal });
    };
    return streamWatch(open, callbacks, this.transport.maxResponseBytes);
  }

  create(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const target = { ref, namespace: obj.metadata.namespace ?? '' };
    return this.write('POST', target, obj, opts);
  }

  createSubresource(
    ref: ResourceRef,
    namespace: string,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<unknown> {
    return this.write('POST', { ref, namespace, name, subresource }, body, {});
  }

  update(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.write('PUT', identify(ref, obj), obj, opts);
  }

  updateStatus(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.write('PUT', { ...identify(ref, obj), subresource: 'status' }, obj, opts);
  }

  async patch(
    ref: ResourceRef,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    const target = {
      ref,
      namespace,
      name,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    };
    const path = await this.path(target);
    const query = writeQuery(opts);
    if (type === 'apply' && opts.force) {
      query.set('force', 'true');
    }
    const body = await this.transport.json('PATCH', path, {
      query,
      body: JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPES[type],
    });
    return asObject(body, path);
  }

  async getSubresource(
    ref: ResourceRef,
    target: PathTarget,
    query: Record<string, string> = {},
  ): Promise<unknown> {
    const { group, version, resource } = ref;
    const parts = [group ? `/apis/${seg(group)}/${seg(version)}` : `/api/${seg(version)}`];
    if (target.namespace) {
      parts.push(`/namespaces/${seg(target.namespace)}`);
    }
    parts.push(`/${seg(resource)}`);
    for (const part of [target.name, target.subresource]) {
      if (part === '') {
        throw new HttpClientError('InvalidRequest', 'path segments may not be empty');
      }
      if (part !== undefined) {
        parts.push(`/${seg(part)}`);
      }
    }
    return this.transport.json('GET', parts.join(''), { query: params(query) });
  }

  async getScale(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    const path = await this.path({ ref, namespace, name, subresource: 'scale' });
    return asObject(await this.transport.json('GET', path), path);
  }

  updateScale(ref: ResourceRef, scale: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return this.write('PUT', { ...identify(ref, scale), subresource: 'scale' }, scale, opts);
  }

  async delete(
    ref: ResourceRef,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<KubeObject | undefined> {
    const path = await this.path({ ref, namespace, name });
    const body = await this.transport.json('DELETE', path, {
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...opts }),
    });
    // A Status: the object is gone. An object: it lingers (finalizers, grace), or it is a pod.
    return isStatus(body) ? undefined : asObject(body, path);
  }

  private async write(
    method: 'POST' | 'PUT',
    target: Target,
    obj: KubeObject,
    opts: WriteOptions,
  ): Promise<KubeObject> {
    const path = await this.path(target);
    const body = await this.transport.json(method, path, {
      query: writeQuery(opts),
      body: JSON.stringify(obj),
    });
    return asObject(body, path);
  }

  /** `/api/v1/namespaces/ns/pods/name/status`; the namespace only for namespaced resources. */
  private async path(t: Target): Promise<string> {
    const { group, version, resource } = t.ref;
    const isNamespaced = await this.discovery.isNamespaced(t.ref);
    const parts = [group ? `/apis/${seg(group)}/${seg(version)}` : `/api/${seg(version)}`];
    if (isNamespaced && t.namespace) {
      parts.push(`/namespaces/${seg(t.namespace)}`);
    }
    parts.push(`/${seg(resource)}`);
    if (t.name !== undefined) {
      // An empty name would address the collection: a delete would become deletecollection.
      if (t.name === '') {
        throw new HttpClientError('InvalidRequest', 'resource name may not be empty');
      }
      parts.push(`/${seg(t.name)}`);
    }
    if (t.subresource) {
      parts.push(`/${seg(t.subresource)}`);
    }
    return parts.join('');
  }
}

function identify(ref: ResourceRef, obj: KubeObject): Target {
  return { ref, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

function params(values: Record<string, string | number | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') {
      query.set(key, String(value));
    }
  }
  return query;
}

function writeQuery(opts: WriteOptions): URLSearchParams {
  return params({
    fieldManager: opts.fieldManager ?? DEFAULT_MANAGER,
    dryRun: opts.dryRun ? 'All' : undefined,
  });
}

function asObject(body: unknown, path: string): KubeObject {
  const obj = body as KubeObject | null;
  if (typeof obj !== 'object' || obj === null || typeof obj.metadata !== 'object') {
    throw new HttpClientError('InvalidResponse', `${path}: the answer is not an API object`);
  }
  return obj;
}
