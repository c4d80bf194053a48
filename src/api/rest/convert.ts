// Conversion between a served version and the storage version of a resource.
import type { KubeObject } from '../../apis/meta.js';
import { apiVersionOf } from '../../apis/meta.js';
import type { ResourceType, VersionInfo } from '../../apis/resource-type.js';

/** The storage-version form of an object received in `version`. */
export function toStorage(rt: ResourceType, version: VersionInfo, obj: KubeObject): KubeObject {
  const converted = version.toStorage ? version.toStorage(obj) : obj;
  const stored = rt.storedAs ? { group: rt.storedAs.group } : rt;
  return {
    ...converted,
    apiVersion: apiVersionOf(stored.group, rt.storedAs ? 'v1' : rt.storageVersion),
    kind: rt.kind,
  };
}

/** The object as served in `version`, with apiVersion and kind set. */
export function fromStorage(rt: ResourceType, version: VersionInfo, obj: KubeObject): KubeObject {
  const converted = version.fromStorage ? version.fromStorage(obj) : obj;
  return { ...converted, apiVersion: apiVersionOf(rt.group, version.version), kind: rt.kind };
}
