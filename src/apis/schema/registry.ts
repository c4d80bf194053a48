// The schema registry: Kubernetes models loaded lazily from client-node and cached, the model
// behind each built-in kind, and a permissive model for kinds client-node does not have.
import { checkFields } from './check-fields.js';
import type { FieldCheckOptions, FieldCheckResult } from './check-fields.js';
import { clientNodeModelsDir, readRawModel } from './client-node-models.js';
import { asQuantity, goTypeOf, parseFieldType } from './field-types.js';
import type { FieldType } from './field-types.js';
import { quantityKind } from './quantity-fields.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface ModelField {
  jsonName: string;
  type: FieldType;
  description?: string;
  required: boolean;
  /** Overrides the Go type name in decode errors (`v1.ResourceList`). */
  goType?: string;
}

/** A struct type: its Go name (for decode errors), docs and fields by JSON name. */
export interface Model {
  /** client-node class name, or `<group>/<version>/<Kind>` for a permissive kind. */
  name: string;
  goPackage: string;
  goName: string;
  description?: string;
  fields: Map<string, ModelField>;
  /** Unknown fields are kept, not reported (kinds without a client-node model). */
  preserveUnknownFields: boolean;
}

export interface SchemaRegistry {
  /** A model by client-node class name (`V1PodSpec`), or undefined if there is none. */
  model(name: string): Model | undefined;
  /** The model of a top-level kind; permissive when client-node does not know the kind. */
  kindModel(gvk: GroupVersionKind): Model;
  /** True when the kind's schema comes from client-node, false when it is permissive. */
  hasKnownSchema(gvk: GroupVersionKind): boolean;
  /** Unknown fields and decode errors of a decoded object of kind `gvk`. */
  checkFields(gvk: GroupVersionKind, obj: unknown, opts?: FieldCheckOptions): FieldCheckResult;
}

export interface SchemaRegistryOptions {
  /** Where client-node's model files are; defaults to the installed package. */
  modelsDir?: string;
}

/** Creates a registry; nothing is read until a model is first asked for. */
export function createSchemaRegistry(opts: SchemaRegistryOptions = {}): SchemaRegistry {
  let dir = opts.modelsDir;
  const models = new Map<string, Model | undefined>();
  const kinds = new Map<string, Model>();

  const model = (name: string): Model | undefined => {
    if (!models.has(name)) {
      dir ??= clientNodeModelsDir();
      const raw = readRawModel(dir, name);
      models.set(name, raw && toModel(raw));
    }
    return models.get(name);
  };

  const kindModel = (gvk: GroupVersionKind): Model => {
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
    let found = kinds.get(key);
    if (!found) {
      found = findKindModel(gvk, model) ?? permissiveModel(gvk, key);
      kinds.set(key, found);
    }
    return found;
  };

  const registry: SchemaRegistry = {
    model,
    kindModel,
    hasKnownSchema: (gvk) => !kindModel(gvk).preserveUnknownFields,
    checkFields: (gvk, obj, opts) => checkFields(registry, gvk, obj, opts),
  };
  return registry;
}

function toModel(raw: NonNullable<ReturnType<typeof readRawModel>>): Model {
  const go = goTypeOf(raw.className);
  const fields = new Map<string, ModelField>();
  for (const f of raw.fields) {
    let type = parseFieldType(f.type, f.format);
    const quantity = quantityKind(raw.className, f.jsonName);
    if (quantity) {
      type = asQuantity(type);
    }
    fields.set(f.jsonName, {
      jsonName: f.jsonName,
      type,
      description: f.description,
      required: f.required,
      goType: quantity === 'list' ? 'v1.ResourceList' : undefined,
    });
  }
  return {
    name: raw.className,
    goPackage: go.pkg,
    goName: go.name,
    description: raw.description,
    fields,
    preserveUnknownFields: false,
  };
}

// Groups whose kinds client-node generates; other groups (metrics, our own) never match by name.
function isBuiltinGroup(group: string): boolean {
  return (
    (group === '' || !group.includes('.') || group.endsWith('.k8s.io')) &&
    group !== 'metrics.k8s.io' &&
    group !== 'custom.metrics.k8s.io' &&
    group !== 'external.metrics.k8s.io'
  );
}

// client-node names a kind `V1Deployment`, or `CoreV1Event` / `EventsV1Event` when two groups
// share a kind name in one version.
function findKindModel(
  gvk: GroupVersionKind,
  model: (name: string) => Model | undefined,
): Model | undefined {
  if (!isBuiltinGroup(gvk.group) || !/^v\d+((alpha|beta)\d+)?$/.test(gvk.version)) {
    return undefined;
  }
  const version = `V${gvk.version.slice(1)}`;
  const first = gvk.group === '' ? 'core' : (gvk.group.split('.')[0] ?? '');
  const prefix = first.charAt(0).toUpperCase() + first.slice(1);
  for (const name of [`${prefix}${version}${gvk.kind}`, `${version}${gvk.kind}`]) {
    const found = model(name);
    if (found?.fields.has('kind') && found.fields.has('apiVersion')) {
      return found;
    }
  }
  return undefined;
}

function permissiveModel(gvk: GroupVersionKind, key: string): Model {
  const str: FieldType = { t: 'string' };
  const fields = new Map<string, ModelField>([
    ['apiVersion', { jsonName: 'apiVersion', type: str, required: false }],
    ['kind', { jsonName: 'kind', type: str, required: false }],
    [
      'metadata',
      { jsonName: 'metadata', type: { t: 'ref', model: 'V1ObjectMeta' }, required: false },
    ],
  ]);
  return {
    name: key,
    goPackage: gvk.version,
    goName: gvk.kind,
    fields,
    preserveUnknownFields: true,
  };
}
