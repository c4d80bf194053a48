// The field types kubeproc's schemas know, parsed from client-node's type strings, and the Go type
// names Kubernetes' JSON decoder prints for them in `cannot unmarshal ... of type T` errors.

/** The type of one field, as far as validation and OpenAPI need to know it. */
export type FieldType =
  | { t: 'string' }
  | { t: 'boolean' }
  | { t: 'integer'; bits: 32 | 64 }
  | { t: 'number' }
  /** metav1.Time (RFC 3339) or metav1.MicroTime (RFC 3339 with microseconds). */
  | { t: 'time'; micro: boolean }
  | { t: 'intOrString' }
  | { t: 'quantity' }
  /** []byte: base64 in JSON. */
  | { t: 'bytes' }
  /** Free-form JSON (runtime.RawExtension, apiextensions JSON, FieldsV1). */
  | { t: 'any' }
  | { t: 'ref'; model: string }
  | { t: 'array'; items: FieldType }
  | { t: 'map'; values: FieldType };

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

// Scalar client-node types by `type|format`, then by `type` alone.
const SCALARS: Record<string, FieldType> = {
  'string|byte': { t: 'bytes' },
  string: { t: 'string' },
  boolean: { t: 'boolean' },
  'number|int32': { t: 'integer', bits: 32 },
  'number|int64': { t: 'integer', bits: 64 },
  number: { t: 'number' },
  'Date|date-time-micro': { t: 'time', micro: true },
  Date: { t: 'time', micro: false },
  IntOrString: { t: 'intOrString' },
  any: { t: 'any' },
};

/**
 * Parses a client-node attribute type (`Array<V1Container>`, `{ [key: string]: string; }`, ...).
 * `format` applies to the innermost scalar, as the generator writes it.
 */
export function parseFieldType(type: string, format: string): FieldType {
  const array = ARRAY.exec(type);
  if (array?.[1]) {
    return { t: 'array', items: parseFieldType(array[1], format) };
  }
  const map = MAP.exec(type);
  if (map?.[1]) {
    return { t: 'map', values: parseFieldType(map[1], format) };
  }
  return SCALARS[`${type}|${format}`] ?? SCALARS[type] ?? { t: 'ref', model: type };
}

/** Replaces the string leaf of a type (`string`, `Array<string>`, map values) by a Quantity. */
export function asQuantity(type: FieldType): FieldType {
  if (type.t === 'string') {
    return { t: 'quantity' };
  }
  if (type.t === 'array') {
    return { t: 'array', items: asQuantity(type.items) };
  }
  if (type.t === 'map') {
    return { t: 'map', values: asQuantity(type.values) };
  }
  return type;
}

const VERSION_PREFIX = /^(?:[A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

/** Splits a client-node class name into its Go package name and type name (`v1`, `DeploymentSpec`). */
export function goTypeOf(className: string): { pkg: string; name: string } {
  const m = VERSION_PREFIX.exec(className);
  if (!m?.[1] || !m[2]) {
    return { pkg: 'v1', name: className };
  }
  return { pkg: m[1].toLowerCase(), name: m[2] };
}

const GO_SCALARS: Record<string, string> = {
  string: 'string',
  boolean: 'bool',
  number: 'float64',
  intOrString: 'intstr.IntOrString',
  quantity: 'resource.Quantity',
  bytes: '[]uint8',
  any: 'runtime.RawExtension',
};

/**
 * The Go type string reflect prints for a field (`int32`, `[]v1.Container`, `map[string]string`).
 * Named string types (v1.Protocol ...) are not visible in client-node and print as `string`.
 */
export function goTypeName(type: FieldType): string {
  if (type.t === 'integer') {
    return `int${type.bits}`;
  }
  if (type.t === 'time') {
    return type.micro ? 'v1.MicroTime' : 'v1.Time';
  }
  if (type.t === 'ref') {
    const go = goTypeOf(type.model);
    return `${go.pkg}.${go.name}`;
  }
  if (type.t === 'array') {
    return `[]${goTypeName(type.items)}`;
  }
  if (type.t === 'map') {
    return `map[string]${goTypeName(type.values)}`;
  }
  return GO_SCALARS[type.t] ?? type.t;
}
