// Turns registry models into OpenAPI v3 component schemas named as Kubernetes names them
// (`io.k8s.api.apps.v1.Deployment`), with kind schemas tagged by x-kubernetes-group-version-kind.
import type { FieldType } from './field-types.js';
import { schemaName } from './schema-names.js';
import type { SchemaNames } from './schema-names.js';
import type { GroupVersionKind, Model, SchemaRegistry } from './registry.js';

export type JsonSchema = Record<string, unknown>;

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A kind (or list kind) whose schema a document needs. */
export interface KindEntry {
  gvk: GroupVersionKind;
  model: Model;
}

/**
 * Component schemas for `kinds` and every model they reference. `names` must cover all of them
 * (see schemaNamesFor); each kind schema carries its GVK as a one-element array.
 */
export function componentSchemas(
  registry: SchemaRegistry,
  kinds: KindEntry[],
  names: SchemaNames,
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const builder = new SchemaBuilder(names, (name) => registry.model(name)?.description);
  const queue: Model[] = [];
  const queued = new Set<string>();
  const enqueue = (m: Model | undefined): void => {
    if (m && !queued.has(m.name)) {
      queued.add(m.name);
      queue.push(m);
    }
  };
  for (const k of kinds) {
    enqueue(k.model);
  }
  for (let m = queue.shift(); m; m = queue.shift()) {
    out[schemaName(names, m)] = builder.modelSchema(m);
    for (const name of builder.takeReferencedModels()) {
      enqueue(registry.model(name));
    }
  }
  for (const k of kinds) {
    const schema = out[schemaName(names, k.model)];
    if (schema) {
      const { group, kind, version } = k.gvk;
      schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
    }
  }
  Object.assign(out, builder.sharedSchemas());
  return out;
}

const SCALAR_SCHEMAS: Partial<Record<FieldType['t'], JsonSchema>> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  number: { type: 'number', format: 'double' },
  time: { type: 'string', format: 'date-time' },
  bytes: { type: 'string', format: 'byte' },
  any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

function scalarSchema(type: FieldType): JsonSchema | undefined {
  if (type.t === 'integer') {
    return { type: 'integer', format: `int${type.bits}` };
  }
  const schema = SCALAR_SCHEMAS[type.t];
  return schema && { ...schema };
}

class SchemaBuilder {
  private referenced: string[] = [];
  private intOrStringDescription: string | undefined;
  private usesIntOrString = false;
  private usesQuantity = false;

  constructor(
    private readonly names: SchemaNames,
    private readonly modelDescription: (name: string) => string | undefined,
  ) {}

  modelSchema(m: Model): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const f of m.fields.values()) {
      properties[f.jsonName] = this.fieldSchema(f.type, f.description);
      if (f.required) {
        required.push(f.jsonName);
      }
    }
    const schema: JsonSchema = { type: 'object' };
    if (m.description) {
      schema.description = m.description;
    }
    schema.properties = properties;
    if (required.length > 0) {
      schema.required = required;
    }
    if (m.preserveUnknownFields) {
      schema['x-kubernetes-preserve-unknown-fields'] = true;
    }
    return schema;
  }

  /** Model names referenced since the last call. */
  takeReferencedModels(): string[] {
    const list = this.referenced;
    this.referenced = [];
    return list;
  }

  /** IntOrString and Quantity, when some schema used them. */
  sharedSchemas(): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    if (this.usesIntOrString) {
      out[INT_OR_STRING] = {
        ...(this.intOrStringDescription ? { description: this.intOrStringDescription } : {}),
        format: 'int-or-string',
        'x-kubernetes-int-or-string': true,
        oneOf: [{ type: 'integer' }, { type: 'string' }],
      };
    }
    if (this.usesQuantity) {
      out[QUANTITY] = { oneOf: [{ type: 'string' }, { type: 'number' }] };
    }
    return out;
  }

  private fieldSchema(type: FieldType, description: string | undefined): JsonSchema {
    const scalar = scalarSchema(type);
    if (scalar) {
      return description ? { ...scalar, description } : scalar;
    }
    if (type.t === 'intOrString') {
      // client-node documents these fields with IntOrString's own text: keep it on the type.
      this.usesIntOrString = true;
      this.intOrStringDescription ??= description;
      return ref(INT_OR_STRING);
    }
    if (type.t === 'quantity') {
      // Quantity has no text of its own: allOf keeps the field's description for explain.
      this.usesQuantity = true;
      return description ? { allOf: [ref(QUANTITY)], description } : ref(QUANTITY);
    }
    if (type.t === 'ref') {
      this.referenced.push(type.model);
      return this.modelRef(type.model, description);
    }
    const inner: JsonSchema =
      type.t === 'array'
        ? { type: 'array', items: this.fieldSchema(type.items, undefined) }
        : type.t === 'map'
          ? { type: 'object', additionalProperties: this.fieldSchema(type.values, undefined) }
          : {};
    return description ? { ...inner, description } : inner;
  }

  // client-node has no description for fields typed by a model, so the model's own text stands
  // in. It sits beside the $ref (as in Kubernetes' v2 documents): kubectl explain shows it in field
  // lists but, following the $ref, prints the model's text only once for the field itself.
  private modelRef(className: string, description: string | undefined): JsonSchema {
    const text = description ?? this.modelDescription(className);
    const schema = ref(this.nameOf(className));
    return text ? { ...schema, description: text } : schema;
  }

  private nameOf(className: string): string {
    return this.names.byClass.get(className) ?? this.names.fallback(className);
  }
}
