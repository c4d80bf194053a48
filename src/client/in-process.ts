// The in-process Client: calls the API's REST layer directly, with no HTTP or JSON round trip,
// through the same validation, admission and conversion as HTTP requests.
import type { KubeList, KubeObject } from '../apis/meta.js';
import { ApiError } from '../lib/errors.js';
import type { Status } from '../lib/errors.js';
import type { ResourceRegistry } from '../api/registry.js';
import type { Scope } from '../api/rest/context.js';
import { fromStorage } from '../api/rest/convert.js';
import { bindPod } from '../api/rest/binding.js';
import { deleteObject } from '../api/rest/delete.js';
import { patchObject } from '../api/rest/patch.js';
import type { ResourceService } from '../api/rest/resource-service.js';
import { getScale, updateScale } from '../api/rest/scale.js';
import { watchObjects } from '../api/rest/watch.js';
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

const DEFAULT_MANAGER = 'kubeproc';

export class InProcessClient implements Client {
  constructor(
    private readonly svc: ResourceService,
    private readonly registry: ResourceRegistry,
  ) {}

  private scope(ref: ResourceRef, namespace: string): Scope {
    const found = this.registry.lookup(ref.group, ref.version, ref.resource);
    if (!found) {
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${ref.group}/${ref.version} ${ref.resource})`,
      );
    }
    return { rt: found.rt, version: found.version, namespace };
  }

  serverResources(): Promise<ServerResource[]> {
    return settle(() =>
      this.registry.resources
        .filter((rt) => !rt.storedAs)
        .map((rt) => ({
          ref: { group: rt.group, version: rt.versions[0]?.version ?? 'v1', resource: rt.resource },
          kind: rt.kind,
          namespaced: rt.namespaced,
          verbs: rt.verbs ?? [
            'create',
            'delete',
            'deletecollection',
            'get',
            'list',
            'patch',
            'update',
            'watch',
          ],
        })),
    );
  }

  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    return settle(() => structuredClone(this.svc.get(this.scope(ref, namespace), name)));
  }

  list(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList> {
    const { namespace = '', ...rest } = opts;
    return settle(() => structuredClone(this.svc.list(this.scope(ref, namespace), rest)));
  }

  watch(ref: ResourceRef, opts: WatchOptions, callbacks: WatchCallbacks): WatchHandle {
    const { namespace = '', ...rest } = opts;
    const scope = this.scope(ref, namespace);
    let stopped = false;
    // Events are delivered on a later tick, in order, so a handler never runs inside a write.
    const pending: Parameters<WatchCallbacks['onEvent']>[0][] = [];
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      for (const e of pending.splice(0)) {
        if (stopped) {
          return;
        }
        callbacks.onEvent(e);
        if (e.type === 'ERROR') {
          stopped = true;
          callbacks.onClose(ApiError.fromStatus(e.object as Partial<Status>, 410));
          return;
        }
      }
    };
    const handle = watchObjects(this.svc, scope, rest, (event) => {
      const object =
        event.type === 'ERROR' ? event.object : fromStorage(scope.rt, scope.version, event.object);
      pending.push({ type: event.type, object });
      if (!scheduled) {
        scheduled = true;
        // A macrotask, not a microtask: events written in one burst arrive together, and the
        // writer (often an HTTP request) finishes before any handler runs.
        setImmediate(flush);
      }
    });
    return {
      stop: () => {
        stopped = true;
        handle.cancel();
      },
    };
  }

  create(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return settle(() => {
      const scope = this.scope(ref, obj.metadata.namespace ?? '');
      return structuredClone(this.svc.create(scope, jsonCopy(obj), writeOpts(opts)));
    });
  }

  update(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return settle(() => {
      const scope = this.scope(ref, obj.metadata.namespace ?? '');
      return structuredClone(
        this.svc.update(scope, obj.metadata.name ?? '', obj, writeOpts(opts)).object,
      );
    });
  }

  updateStatus(ref: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return settle(() => {
      const scope = this.scope(ref, obj.metadata.namespace ?? '');
      const result = this.svc.update(scope, obj.metadata.name ?? '', obj, {
        ...writeOpts(opts),
        subresource: 'status',
      });
      return structuredClone(result.object);
    });
  }

  patch(
    ref: ResourceRef,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    return settle(() => {
      const scope = this.scope(ref, namespace);
      const result = patchObject(this.svc, scope, name, type, structuredClone(patch), {
        ...writeOpts(opts),
        ...(opts.subresource ? { subresource: opts.subresource } : {}),
        ...(opts.force ? { force: true } : {}),
      });
      return structuredClone(result.object);
    });
  }

  createSubresource(
    ref: ResourceRef,
    namespace: string,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<unknown> {
    return settle(() => {
      const scope = this.scope(ref, namespace);
      if (scope.rt.group === '' && scope.rt.resource === 'pods' && subresource === 'binding') {
        bindPod(this.svc, scope, name, structuredClone(body), writeOpts({}));
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
      }
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (post ${ref.resource}/${subresource})`,
      );
    });
  }

  getSubresource(
    ref: ResourceRef,
    target: PathTarget,
    query: Record<string, string> = {},
  ): Promise<unknown> {
    const { namespace = '', name, subresource } = target;
    if (name === undefined) {
      const { labelSelector, fieldSelector } = query;
      return this.list(ref, {
        namespace,
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      });
    }
    if (subresource === undefined || subresource === 'status') {
      return this.get(ref, namespace, name);
    }
    if (subresource === 'scale') {
      return this.getScale(ref, namespace, name);
    }
    // Stored resources have no other GET-able subresource without a node (log, proxy ...).
    return Promise.reject(
      new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (get ${ref.resource}/${subresource})`,
      ),
    );
  }

  getScale(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    return settle(() => structuredClone(getScale(this.svc, this.scope(ref, namespace), name)));
  }

  updateScale(ref: ResourceRef, scale: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return settle(() => {
      const { namespace = '', name = '' } = scale.metadata;
      const scope = this.scope(ref, namespace);
      return structuredClone(
        updateScale(this.svc, scope, name, structuredClone(scale), writeOpts(opts)),
      );
    });
  }

  delete(
    ref: ResourceRef,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<KubeObject | undefined> {
    return settle(() => {
      const result = deleteObject(this.svc, this.scope(ref, namespace), name, opts, {
        fieldManager: DEFAULT_MANAGER,
      });
      return result.object ? structuredClone(result.object) : undefined;
    });
  }
}

/**
 * A copy with no shared sub-objects, as a JSON round trip over HTTP would give: structuredClone
 * keeps aliasing (one `labels` object used as selector and template labels stays one object).
 */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Runs a synchronous REST call as a promise, so errors reject as they would over HTTP. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function writeOpts(opts: WriteOptions): {
  fieldManager: string;
  dryRun: boolean;
  warnings: string[];
} {
  return {
    fieldManager: opts.fieldManager ?? DEFAULT_MANAGER,
    dryRun: !!opts.dryRun,
    warnings: [],
  };
}
