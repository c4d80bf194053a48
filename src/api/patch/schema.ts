// Type information for the patch engines: walks from a kind's root model to the type of any
// field path using the attributeTypeMap of @kubernetes/client-node's generated models, and
// decorates each field with the merge metadata of field-tags.ts.
import { clientNodeModelsDir, readRawModel } from '../../apis/schema/client-node-models.js';
import {
  ATOMIC_STRUCTS,
  FIELD_TAGS,
  KEY_DEFAULTS,
  VALUE_FIELDS,
  type FieldTag,
  type ListType,
} from './field-tags.js';

export type { ListType } from './field-tags.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Strategic-merge-patch strategy of a field (retainKeys needs no server-side handling). */
export type PatchStrategy = 'merge' | 'replace' | undefined;

export interface StructNode {
  kind: 'struct';
  name: string;
  /** +structType=atomic: owned as a whole by server-side apply. */
  isAtomic: boolean;
  patchStrategy: PatchStrategy;
  field(name: string): TypeNode | undefined;
  /** True when the field exists in the Go zero value of this struct. */
  isValueField(name: string): boolean;
}

export interface MapNode {
  kind: 'map';
  elem: TypeNode;
  isAtomic: boolean;
  patchStrategy: PatchStrategy;
}

export interface ListNode {
  kind: 'list';
  elem: TypeNode;
  patchStrategy: PatchStrategy;
  /** patchMergeKey, for strategic merge patch. */
  mergeKey: string | undefined;
  /** How server-side apply treats the list. */
  listType: ListType;
  /** Key fields of a `map` list, and defaults for the ones that may be omitted. */
  keys: string[];
  keyDefaults: ReadonlyMap<string, unknown>;
}

export interface ScalarNode {
  kind: 'scalar';
}

/** No schema (custom resources, `any` fields): maps merge, lists are atomic. */
export interface UntypedNode {
  kind: 'untyped';
}

export type TypeNode = StructNode | MapNode | ListNode | ScalarNode | UntypedNode;

export const SCALAR: ScalarNode = { kind: 'scalar' };
export const UNTYPED: UntypedNode = { kind: 'untyped' };

// JSON field name -> declared type string, per model, read lazily from client-node's model files
// (importing all 2,700 model classes would cost ~30 MB and 0.4 s at startup). A memo of
// immutable data, never changed once read.
const MODEL_FIELDS = {
  cache: new Map<string, ReadonlyMap<string, string> | undefined>(),
  dir: undefined as string | undefined,
  get(name: string): ReadonlyMap<string, string> | undefined {
    if (!this.cache.has(name)) {
      this.dir ??= clientNodeModelsDir();
      const raw = readRawModel(this.dir, name);
      this.cache.set(name, raw ? new Map(raw.fields.map((f) => [f.jsonName, f.type])) : undefined);
    }
    return this.cache.get(name);
  },
};

const ROOT_VALUE_FIELDS = new Set(['metadata', 'spec', 'status']);

function patchStrategyOf(tag: FieldTag | undefined): PatchStrategy {
  if (tag?.strategy === 'replace') {
    return 'replace';
  }
  return tag?.strategy?.startsWith('merge') ? 'merge' : undefined;
}

function listTypeOf(tag: FieldTag | undefined): ListType {
  if (tag?.listType) {
    return tag.listType;
  }
  if (patchStrategyOf(tag) !== 'merge') {
    return 'atomic';
  }
  return tag?.mergeKey ? 'map' : 'set';
}

function keyDefaults(elem: TypeNode, keys: string[]): ReadonlyMap<string, unknown> {
  const defaults = new Map<string, unknown>();
  if (elem.kind === 'struct') {
    for (const key of keys) {
      const value = KEY_DEFAULTS.get(`${elem.name}.${key}`);
      if (value !== undefined) {
        defaults.set(key, value);
      }
    }
  }
  return defaults;
}

/** A struct node for model `name`; `isRoot` makes metadata/spec/status value fields. */
export function structNode(name: string, isRoot = false, tag?: FieldTag): StructNode | undefined {
  const fields = MODEL_FIELDS.get(name);
  if (!fields) {
    return undefined;
  }
  return {
    kind: 'struct',
    name,
    isAtomic: ATOMIC_STRUCTS.has(name),
    patchStrategy: patchStrategyOf(tag),
    field(field: string): TypeNode | undefined {
      const type = fields.get(field);
      return type === undefined
        ? undefined
        : typeFromString(type, FIELD_TAGS.get(`${name}.${field}`));
    },
    isValueField(field: string): boolean {
      return (isRoot && ROOT_VALUE_FIELDS.has(field)) || VALUE_FIELDS.has(`${name}.${field}`);
    },
  };
}

function listNode(elemType: string, tag: FieldTag | undefined): ListNode {
  const elem = typeFromString(elemType, undefined);
  const listType = listTypeOf(tag);
  const mergeKeys = tag?.mergeKey ? [tag.mergeKey] : [];
  const keys = listType === 'map' ? (tag?.listMapKeys ?? mergeKeys) : [];
  return {
    kind: 'list',
    elem,
    patchStrategy: patchStrategyOf(tag),
    mergeKey: tag?.mergeKey,
    listType,
    keys,
    keyDefaults: keyDefaults(elem, keys),
  };
}

function typeFromString(type: string, tag: FieldTag | undefined): TypeNode {
  const list = /^Array<(.+)>$/.exec(type)?.[1];
  if (list !== undefined) {
    return listNode(list, tag);
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type)?.[1];
  if (map !== undefined) {
    return {
      kind: 'map',
      elem: typeFromString(map, undefined),
      isAtomic: tag?.atomicMap === true,
      patchStrategy: patchStrategyOf(tag),
    };
  }
  return type === 'any' ? UNTYPED : (structNode(type, false, tag) ?? SCALAR);
}

const BUILTIN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The root type of a built-in kind (`apps/v1 Deployment` -> V1Deployment), or undefined for
 * kinds without a generated model (custom resources), which the engines treat as untyped.
 */
export function schemaForKind(gvk: GroupVersionKind): StructNode | undefined {
  if (!BUILTIN_GROUPS.has(gvk.group)) {
    return undefined;
  }
  const version = capitalize(gvk.version);
  // Kinds that exist in two groups carry a group prefix: CoreV1Event vs EventsV1Event.
  const prefix = gvk.group === '' ? 'Core' : capitalize(gvk.group.split('.')[0] ?? '');
  return (
    structNode(`${prefix}${version}${gvk.kind}`, true) ?? structNode(`${version}${gvk.kind}`, true)
  );
}

/** The type of field `name` inside `node`; undefined when a struct does not declare it. */
export function fieldType(node: TypeNode, name: string): TypeNode | undefined {
  switch (node.kind) {
    case 'struct':
      return node.field(name);
    case 'map':
      return node.elem;
    case 'untyped':
      return UNTYPED;
    case 'list':
    case 'scalar':
      return undefined;
  }
}

/** True when the model and field exist (used to check the tag tables). */
export function modelHasField(model: string, field: string): boolean {
  return MODEL_FIELDS.get(model)?.has(field) === true;
}
