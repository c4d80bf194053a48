// A Client whose metrics reads are answered by this process: metrics.k8s.io by the metrics server,
// custom.metrics.k8s.io and external.metrics.k8s.io by the configured provider's API, so loops
// that read metrics in-process (the HPA controller) see what `kubectl get --raw` sees. The
// in-process client reads the store directly, where metrics never are; every other call passes.
import type { KubeList, KubeObject } from '../apis/meta.js';
import { METRICS_API_VERSION, METRICS_GROUP } from '../apis/metrics/types.js';
import type {
  Client,
  ListOptions,
  PathTarget,
  ResourceRef,
  WatchCallbacks,
  WatchHandle,
  WatchOptions,
} from '../client/client.js';
import { ApiError } from '../lib/errors.js';
import type { MetricsApiGroup } from './custom/api.js';
import type { MetricsListOptions } from './pod-metrics.js';

/** What answers one metrics resource (pods or nodes). */
export interface MetricsReader {
  get(namespace: string, name: string): Promise<KubeObject>;
  list(namespace: string, opts: MetricsListOptions): Promise<KubeObject[]>;
}

const KINDS: Record<string, string> = { pods: 'PodMetrics', nodes: 'NodeMetrics' };

function notAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

/** The reads of a metrics API group (custom/external) through the Client's methods. */
function groupReads(groupFor: (ref: ResourceRef) => MetricsApiGroup | undefined) {
  const ask = (ref: ResourceRef, target: PathTarget, query: Record<string, string>) => {
    const g = groupFor(ref);
    return g?.get({
      version: ref.version,
      namespace: target.namespace ?? '',
      resource: ref.resource,
      name: target.name ?? '',
      subresource: target.subresource ?? '',
      query: new URLSearchParams(query),
    });
  };
  return {
    getSubresource: ask,
    get: (ref: ResourceRef, namespace: string, name: string) =>
      ask(ref, { namespace, name }, {}) as Promise<KubeObject> | undefined,
    list: (ref: ResourceRef, opts: ListOptions) =>
      ask(
        ref,
        { namespace: opts.namespace ?? '' },
        opts.labelSelector ? { labelSelector: opts.labelSelector } : {},
      ) as Promise<KubeList> | undefined,
  };
}

/**
 * `client`, with get and list of metrics.k8s.io resources served by `readers` (pods, nodes), and
 * every read of `groups` (custom/external metrics APIs) served by them.
 */
export function withMetricsApi(
  client: Client,
  readers: Record<string, MetricsReader>,
  groups: readonly MetricsApiGroup[] = [],
): Client {
  const readerFor = (ref: ResourceRef): MetricsReader | undefined =>
    ref.group === METRICS_GROUP ? readers[ref.resource] : undefined;
  const groupFor = (ref: ResourceRef): MetricsApiGroup | undefined =>
    groups.find((g) => g.group === ref.group && g.versions.includes(ref.version));
  const isOurs = (ref: ResourceRef): boolean => !!readerFor(ref) || !!groupFor(ref);
  const reads = groupReads(groupFor);
  const get = async (ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> => {
    const fromGroup = reads.get(ref, namespace, name);
    if (fromGroup) {
      return fromGroup;
    }
    const reader = readerFor(ref);
    if (!reader) {
      return client.get(ref, namespace, name);
    }
    const obj = await reader.get(namespace, name);
    return { kind: KINDS[ref.resource], apiVersion: METRICS_API_VERSION, ...obj };
  };
  const list = async (ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList> => {
    const fromGroup = reads.list(ref, opts);
    if (fromGroup) {
      return fromGroup;
    }
    const reader = readerFor(ref);
    if (!reader) {
      return client.list(ref, opts);
    }
    const { namespace = '', labelSelector, fieldSelector } = opts;
    const items = await reader.list(namespace, {
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    return {
      kind: `${KINDS[ref.resource] ?? ''}List`,
      apiVersion: METRICS_API_VERSION,
      metadata: {},
      items,
    };
  };
  const getSubresource = (
    ref: ResourceRef,
    target: PathTarget,
    query: Record<string, string> = {},
  ): Promise<unknown> =>
    reads.getSubresource(ref, target, query) ?? client.getSubresource(ref, target, query);
  const watch = (ref: ResourceRef, opts: WatchOptions, callbacks: WatchCallbacks): WatchHandle => {
    if (!isOurs(ref)) {
      return client.watch(ref, opts, callbacks);
    }
    // Metrics APIs have no watch: the watch ends at once with the error the API gives.
    const err = new ApiError(
      405,
      'MethodNotAllowed',
      `watch is not supported on resources of kind "${ref.resource}.${ref.group}"`,
    );
    queueMicrotask(() => callbacks.onClose(err));
    return { stop: () => undefined };
  };
  const own: Record<string | symbol, unknown> = { get, list, watch, getSubresource };
  // A Proxy, so every other Client method (present or added later) reaches the real client.
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (Object.hasOwn(own, prop)) {
        return own[prop];
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const ref = args[0] as ResourceRef | undefined;
        if (ref && typeof ref === 'object' && isOurs(ref)) {
          // Metrics are read-only: writes get what the API answers over HTTP.
          return Promise.reject(notAllowed());
        }
        return method.apply(target, args);
      };
    },
  });
}
