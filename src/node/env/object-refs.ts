// ConfigMaps and Secrets an env refers to, fetched once per container start and read with the
// kubelet's optional/missing semantics and messages (kubelet_pods.go makeEnvironmentVariables).
import type { KeySelector } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { ContainerConfigError } from './errors.js';
import { goQuote } from './go-quote.js';

export type RefKind = 'configMap' | 'secret';

export interface ObjectGetters {
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** The env-visible data of an object: ConfigMap `data` as is, Secret `data` base64-decoded. */
function envData(kind: RefKind, object: KubeObject): Map<string, string> {
  const data = object.data;
  const out = new Map<string, string>();
  if (data === null || typeof data !== 'object') {
    return out;
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string') {
      // Go hands the raw bytes over; a JS string carries them only when they are UTF-8.
      out.set(key, kind === 'secret' ? Buffer.from(value, 'base64').toString('utf8') : value);
    }
  }
  return out;
}

/** Fetches each referenced ConfigMap/Secret of one namespace at most once. */
export class ObjectRefs {
  private readonly found = new Map<string, Map<string, string>>();

  constructor(
    private readonly getters: ObjectGetters,
    readonly namespace: string,
  ) {}

  /** The object's data; undefined when it is missing and optional, else a not-found error. */
  async data(
    kind: RefKind,
    name: string,
    isOptional: boolean,
  ): Promise<Map<string, string> | undefined> {
    const cacheKey = `${kind}/${name}`;
    const cached = this.found.get(cacheKey);
    if (cached) {
      return cached;
    }
    const object = await this.fetch(kind, name);
    if (object === undefined) {
      if (isOptional) {
        return undefined;
      }
      // The kubelet's object cache names the resource in the singular.
      throw new ContainerConfigError(`${kind.toLowerCase()} ${goQuote(name)} not found`);
    }
    const data = envData(kind, object);
    this.found.set(cacheKey, data);
    return data;
  }

  /** One key of a ConfigMap/Secret; undefined when optional and the object or key is missing. */
  async key(kind: RefKind, selector: KeySelector): Promise<string | undefined> {
    const name = selector.name ?? '';
    const key = selector.key ?? '';
    const isOptional = selector.optional === true;
    const data = await this.data(kind, name, isOptional);
    const value = data?.get(key);
    if (value !== undefined || data === undefined || isOptional) {
      return value;
    }
    const what = kind === 'configMap' ? 'ConfigMap' : 'Secret';
    throw new ContainerConfigError(`couldn't find key ${key} in ${what} ${this.namespace}/${name}`);
  }

  private async fetch(kind: RefKind, name: string): Promise<KubeObject | undefined> {
    try {
      return kind === 'configMap'
        ? await this.getters.getConfigMap(this.namespace, name)
        : await this.getters.getSecret(this.namespace, name);
    } catch (err) {
      // Any failure to read the object stops the container the same way, with its message.
      throw new ContainerConfigError(err instanceof Error ? err.message : String(err), {
        cause: err,
      });
    }
  }
}
