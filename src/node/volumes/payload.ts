// The files of configMap, secret, downwardAPI and projected volumes (the kubelet's MakePayload and
// CollectData), with items, modes and optional, and upstream's error messages.
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { ContainerConfigError } from '../env/errors.js';
import { podFieldRefValue, type FieldRefContext } from '../env/field-ref.js';
import { resourceFieldRefValue, type ResourceFieldRef } from '../env/resource-ref.js';
import type { Payload } from './atomic-writer.js';
import { VolumeSetUpError } from './errors.js';

/** The API's default file mode of these volumes (0644). */
export const DEFAULT_MODE = 0o644;

export interface KeyToPath {
  key?: string;
  path?: string;
  mode?: number;
}

export interface ObjectVolumeSource {
  name?: string;
  secretName?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface DownwardApiFile {
  path?: string;
  fieldRef?: { apiVersion?: string; fieldPath?: string };
  resourceFieldRef?: ResourceFieldRef;
  mode?: number;
}

export interface ProjectedSource {
  configMap?: ObjectVolumeSource;
  secret?: ObjectVolumeSource;
  downwardAPI?: { items?: DownwardApiFile[] };
  serviceAccountToken?: { path?: string; audience?: string; expirationSeconds?: number };
  [other: string]: unknown;
}

/** What payloads are built from beyond the volume itself. */
export interface PayloadContext {
  pod: Pod;
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  fieldRef: FieldRefContext;
  nodeAllocatable: Record<string, string>;
  /** Told about projected sources this node cannot fill (serviceAccountToken). */
  onSkipped?(what: string): void;
}

type Kind = 'configmap' | 'secret';

/** The key → content of a ConfigMap (data and binaryData) or Secret (base64 data, stringData). */
function contents(kind: Kind, obj: KubeObject): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const raw = obj as KubeObject & {
    data?: Record<string, string>;
    binaryData?: Record<string, string>;
  };
  if (kind === 'configmap') {
    for (const [k, v] of Object.entries(raw.data ?? {})) {
      out.set(k, Buffer.from(v, 'utf8'));
    }
    for (const [k, v] of Object.entries(raw.binaryData ?? {})) {
      out.set(k, Buffer.from(v, 'base64'));
    }
  } else {
    for (const [k, v] of Object.entries(raw.data ?? {})) {
      out.set(k, Buffer.from(v, 'base64'));
    }
  }
  return out;
}

/** MakePayload of a configMap or secret source; `obj` undefined means it does not exist. */
export function objectPayload(
  kind: Kind,
  source: ObjectVolumeSource,
  obj: KubeObject | undefined,
  defaultMode: number,
  into: Payload = new Map(),
): Payload {
  if (!obj) {
    return into;
  }
  const data = contents(kind, obj);
  if (!source.items || source.items.length === 0) {
    for (const [key, value] of data) {
      into.set(key, { data: value, mode: defaultMode });
    }
    return into;
  }
  for (const item of source.items) {
    const value = data.get(item.key ?? '');
    if (value === undefined) {
      if (source.optional) {
        continue;
      }
      throw new VolumeSetUpError(
        kind === 'configmap'
          ? `configmap references non-existent config key: ${item.key ?? ''}`
          : `references non-existent secret key: ${item.key ?? ''}`,
      );
    }
    into.set(item.path ?? '', { data: value, mode: item.mode ?? defaultMode });
  }
  return into;
}

/** Fetches a configMap or secret source's object; a missing one fails unless optional. */
export async function fetchSource(
  kind: Kind,
  source: ObjectVolumeSource,
  ctx: PayloadContext,
): Promise<KubeObject | undefined> {
  const name = (kind === 'configmap' ? source.name : (source.secretName ?? source.name)) ?? '';
  const ns = ctx.pod.metadata.namespace ?? '';
  const obj =
    kind === 'configmap' ? await ctx.getConfigMap(ns, name) : await ctx.getSecret(ns, name);
  if (!obj && !source.optional) {
    throw new VolumeSetUpError(`${kind} "${name}" not found`);
  }
  return obj;
}

/** CollectData of a downwardAPI source: labels/annotations as k="v" lines, fields, resources. */
export function downwardApiPayload(
  items: DownwardApiFile[],
  defaultMode: number,
  ctx: Pick<PayloadContext, 'pod' | 'fieldRef' | 'nodeAllocatable'>,
  into: Payload = new Map(),
): Payload {
  for (const item of items) {
    let value: string;
    try {
      value = downwardValue(item, ctx);
    } catch (err) {
      if (err instanceof ContainerConfigError) {
        throw new VolumeSetUpError(err.message);
      }
      throw err;
    }
    into.set(item.path ?? '', { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return into;
}

function downwardValue(
  item: DownwardApiFile,
  ctx: Pick<PayloadContext, 'pod' | 'fieldRef' | 'nodeAllocatable'>,
): string {
  if (item.fieldRef) {
    return podFieldRefValue(item.fieldRef, ctx.pod, ctx.fieldRef);
  }
  if (item.resourceFieldRef) {
    const name = item.resourceFieldRef.containerName ?? '';
    const container =
      ctx.pod.spec?.containers?.find((c) => c.name === name) ??
      ctx.pod.spec?.initContainers?.find((c) => c.name === name);
    if (!container) {
      throw new ContainerConfigError(`container ${name} not found`);
    }
    return resourceFieldRefValue(item.resourceFieldRef, ctx.pod, container, ctx.nodeAllocatable);
  }
  return '';
}

/** The payload of a projected volume: every source's files with one default mode. */
export async function projectedPayload(
  source: { sources?: ProjectedSource[]; defaultMode?: number },
  ctx: PayloadContext,
): Promise<Payload> {
  const mode = source.defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  for (const s of source.sources ?? []) {
    if (s.configMap) {
      const obj = await fetchSource('configmap', s.configMap, ctx);
      objectPayload('configmap', s.configMap, obj, mode, payload);
    } else if (s.secret) {
      const obj = await fetchSource('secret', s.secret, ctx);
      objectPayload('secret', s.secret, obj, mode, payload);
    } else if (s.downwardAPI) {
      downwardApiPayload(s.downwardAPI.items ?? [], mode, ctx, payload);
    } else if (s.serviceAccountToken) {
      // kubeproc issues no service account tokens yet (no TokenRequest).
      ctx.onSkipped?.(`serviceAccountToken ${s.serviceAccountToken.path ?? ''}`);
    } else {
      ctx.onSkipped?.(Object.keys(s).join(','));
    }
  }
  return payload;
}
