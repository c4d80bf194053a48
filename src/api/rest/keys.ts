// Storage keys: `/<group or core>/<resource>/<namespace>/<name>`, cluster-scoped without namespace.
import type { ResourceType } from '../../apis/resource-type.js';

function base(rt: ResourceType): string {
  const stored = rt.storedAs ?? rt;
  return `/${stored.group || 'core'}/${stored.resource}/`;
}

/** The key of one object. */
export function objectKey(rt: ResourceType, namespace: string, name: string): string {
  return rt.namespaced ? `${base(rt)}${namespace}/${name}` : `${base(rt)}${name}`;
}

/** The prefix covering a namespace, or every object of the resource when namespace is ''. */
export function listPrefix(rt: ResourceType, namespace: string): string {
  return rt.namespaced && namespace ? `${base(rt)}${namespace}/` : base(rt);
}
