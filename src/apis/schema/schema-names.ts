// Kubernetes-style schema names (`io.k8s.api.core.v1.PodSpec`). client-node drops the Go package,
// so a nested type takes the package of the first kind reaching it, core kinds first.
import type { FieldType } from './field-types.js';
import type { GroupVersionKind, Model, SchemaRegistry } from './registry.js';

export interface SchemaNames {
  /** Component name per client-node class (and per permissive kind's model name). */
  byClass: Map<string, string>;
  /** Name for a class no kind reached (should not happen; keeps documents valid). */
  fallback(className: string): string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
// meta/v1 types appear under every group; they live in apimachinery, not in any API group.
const META_TYPES = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ManagedFieldsEntry',
  'OwnerReference',
  'Condition',
  'Status',
  'StatusDetails',
  'StatusCause',
  'DeleteOptions',
  'Preconditions',
  'FieldSelectorRequirement',
  'WatchEvent',
  'APIResource',
  'APIGroup',
  'GroupVersionForDiscovery',
  'ServerAddressByClientCIDR',
]);

/** The package prefix of an API group's schemas (`io.k8s.api.apps`, `com.example` for CRDs). */
export function groupPackage(group: string): string {
  switch (group) {
    case '':
      return 'io.k8s.api.core';
    case 'apiextensions.k8s.io':
      return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
    case 'apiregistration.k8s.io':
      return 'io.k8s.kube-aggregator.pkg.apis.apiregistration';
    case 'metrics.k8s.io':
      return 'io.k8s.metrics.pkg.apis.metrics';
  }
  if (!group.includes('.') || group.endsWith('.k8s.io')) {
    return `io.k8s.api.${group.split('.')[0] ?? group}`;
  }
  return group.split('.').reverse().join('.');
}

// core/v1 kinds seed the naming first, so types they own (PodTemplateSpec, PersistentVolumeClaim)
// are named in core even when only other groups' kinds reach them.
const CORE_KINDS = [
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'Service',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Node',
  'Namespace',
  'Event',
  'Endpoints',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'LimitRange',
  'ResourceQuota',
];

/** Names every model reachable from `kinds` (loads them from the registry). */
export function schemaNamesFor(registry: SchemaRegistry, kinds: GroupVersionKind[]): SchemaNames {
  const byClass = new Map<string, string>();
  const used = new Set<string>();
  const assign = (model: Model, name: string): void => {
    if (byClass.has(model.name)) {
      return;
    }
    // Two client-node classes for one Go name (rare): keep both, distinguishable.
    const unique = used.has(name) ? `${name}.${model.name}` : name;
    byClass.set(model.name, unique);
    used.add(unique);
  };
  const seeds = CORE_KINDS.map((kind) => ({ group: '', version: 'v1', kind }));
  const requested = new Set(kinds.map((k) => `${k.group}/${k.version}/${k.kind}`));
  const ordered = [...seeds, ...kinds];
  for (const gvk of ordered) {
    const root = registry.kindModel(gvk);
    if (root.preserveUnknownFields && !requested.has(`${gvk.group}/${gvk.version}/${gvk.kind}`)) {
      continue;
    }
    assign(root, `${groupPackage(gvk.group)}.${gvk.version}.${gvk.kind}`);
    for (const m of reachable(registry, root)) {
      const pkg = META_TYPES.has(m.goName) ? META : `${groupPackage(gvk.group)}.${m.goPackage}`;
      assign(m, META_TYPES.has(m.goName) ? `${META}.${m.goName}` : `${pkg}.${m.goName}`);
    }
  }
  return {
    byClass,
    fallback: (className) => `io.k8s.api.unknown.${className}`,
  };
}

/** The component name of a model named by schemaNamesFor. */
export function schemaName(names: SchemaNames, model: Model): string {
  return names.byClass.get(model.name) ?? names.fallback(model.name);
}

// Models reachable from root through fields, breadth first, excluding root.
function reachable(registry: SchemaRegistry, root: Model): Model[] {
  const seen = new Set<string>([root.name]);
  const out: Model[] = [];
  const queue: Model[] = [root];
  for (let m = queue.shift(); m; m = queue.shift()) {
    const fresh = new Set([...m.fields.values()].flatMap((f) => refsOf(f.type)));
    for (const next of [...fresh].filter((n) => !seen.has(n)).map((n) => registry.model(n))) {
      if (next) {
        seen.add(next.name);
        out.push(next);
        queue.push(next);
      }
    }
  }
  return out;
}

function refsOf(type: FieldType): string[] {
  if (type.t === 'ref') {
    return [type.model];
  }
  if (type.t === 'array') {
    return refsOf(type.items);
  }
  return type.t === 'map' ? refsOf(type.values) : [];
}
