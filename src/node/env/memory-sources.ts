// EnvSources over objects already in memory (lister snapshots, tests): lookups by namespace/name.
import type { KubeObject } from '../../apis/meta.js';
import type { EnvSources } from './make-environment.js';

export interface MemorySourcesInit extends Omit<EnvSources, 'getConfigMap' | 'getSecret'> {
  configMaps?: KubeObject[];
  secrets?: KubeObject[];
}

const finder =
  (objects: KubeObject[]) =>
  (namespace: string, name: string): Promise<KubeObject | undefined> =>
    Promise.resolve(
      objects.find((o) => o.metadata.namespace === namespace && o.metadata.name === name),
    );

/** EnvSources that answer from the given ConfigMaps and Secrets. */
export function memoryEnvSources(init: MemorySourcesInit): EnvSources {
  const { configMaps = [], secrets = [], ...rest } = init;
  return { ...rest, getConfigMap: finder(configMaps), getSecret: finder(secrets) };
}
