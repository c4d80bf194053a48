// The one Client interface every loop uses: the in-process fast path now, HTTP to any
// Kubernetes API server later. Errors are ApiErrors whichever implementation answers.
import type { KubeList, KubeObject, WatchEvent } from '../apis/meta.js';

/** A resource in one served version: `{group: 'apps', version: 'v1', resource: 'deployments'}`. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Omit (or '0') to start with ADDED events for the current state. */
  resourceVersion?: string;
}

export interface WatchHandle {
  stop(): void;
}

export interface WatchCallbacks {
  onEvent(event: WatchEvent): void;
  /** The watch ended (server closed it, or an error); informers re-watch or re-list. */
  onClose(error?: unknown): void;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** What getSubresource addresses: `[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]`. */
export interface PathTarget {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A resource the server serves, in its preferred version. */
export interface ServerResource {
  ref: ResourceRef;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface Client {
  /** Every resource served, once each (preferred version), for generic loops such as GC. */
  serverResources(): Promise<ServerResource[]>;
  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject>;
  list(ref: ResourceRef, opts?: ListOptions): Promise<KubeList>;
  watch(ref: ResourceRef, opts: WatchOptions, callbacks: WatchCallbacks): WatchHandle;
  create(ref: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  update(ref: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  updateStatus(ref: ResourceRef, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  patch(
    ref: ResourceRef,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { subresource?: string },
  ): Promise<KubeObject>;
  /** POSTs to a subresource (`pods/<name>/binding`, `pods/<name>/eviction`); resolves with the answer. */
  createSubresource(
    ref: ResourceRef,
    namespace: string,
    name: string,
    subresource: string,
    body: KubeObject,
  ): Promise<unknown>;
  /**
   * GETs a path of ref's group/version as written (no discovery: the namespace segment is there
   * when target.namespace is set), with query parameters; resolves with the decoded answer. For
   * subresources and for APIs whose paths discovery cannot describe: custom.metrics.k8s.io's
   * `pods/<name or *>/<metric>` and external.metrics.k8s.io's `<metric>`.
   */
  getSubresource(
    ref: ResourceRef,
    target: PathTarget,
    query?: Record<string, string>,
  ): Promise<unknown>;
  /** GETs `<resource>/<name>/scale`: an autoscaling/v1 Scale. */
  getScale(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject>;
  /** PUTs `<resource>/<name>/scale`; a resourceVersion in `scale` makes it conditional. */
  updateScale(ref: ResourceRef, scale: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /** Deletes; resolves with the object when it lingers (finalizers, grace), else undefined. */
  delete(
    ref: ResourceRef,
    namespace: string,
    name: string,
    opts?: DeleteOptions,
  ): Promise<KubeObject | undefined>;
}
