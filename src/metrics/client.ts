// A Client whose metrics.k8s.io reads are answered by this process's metrics server, so loops
// that read metrics in-process (the HPA controller) see what `kubectl top` sees. The in-process
// client reads the store directly, where metrics never are; every other call passes through.
import type { KubeList, KubeObject } from '../apis/meta.js';
import { METRICS_API_VERSION, METRICS_GROUP } from '../apis/metrics/types.js';
import type {
  Client,
  ListOptions,
  ResourceRef,
  WatchCallbacks,
  WatchHandle,
  WatchOptions,
} from '../client/client.js';
import { ApiError } from '../lib/errors.js';
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

/** `client`, with get and list of metrics.k8s.io resources served by `readers` (pods, nodes). */
export function withMetricsApi(client: Client, readers: Record<string, MetricsReader>): Client {
  const readerFor = (ref: ResourceRef): MetricsReader | undefined =>
    ref.group === METRICS_GROUP ? readers[ref.resource] : undefined;
  const get = async (ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> => {
    const reader = readerFor(ref);
    if (!reader) {
      return client.get(ref, namespace, name);
    }
    const obj = await reader.get(namespace, name);
    return { kind: KINDS[ref.resource], apiVersion: METRICS_API_VERSION, ...obj };
  };
  const list = async (ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList> => {
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
  const watch = (ref: ResourceRef, opts: WatchOptions, callbacks: WatchCallbacks): WatchHandle => {
    if (!readerFor(ref)) {
      return client.watch(ref, opts, callbacks);
    }
    // metrics-server has no watch: the watch ends at once with the error the API gives.
    const err = new ApiError(
      405,
      'MethodNotAllowed',
      `watch is not supported on resources of kind "${ref.resource}.${ref.group}"`,
    );
    queueMicrotask(() => callbacks.onClose(err));
    return { stop: () => undefined };
  };
  const own: Record<string | symbol, unknown> = { get, list, watch };
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
        if (ref && typeof ref === 'object' && readerFor(ref)) {
          // Metrics are read-only: writes get what the API answers over HTTP.
          return Promise.reject(notAllowed());
        }
        return method.apply(target, args);
      };
    },
  });
}
