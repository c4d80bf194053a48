// Our declarative message tables: a one-line-per-field notation, its parser, and the schema
// (message definitions plus the apiVersion/kind index) that message.ts decodes against.

/**
 * Field notation, one token per field: `json=number[:type][suffix]`.
 * - type: omitted for `string`; a scalar (`int32 int64 uint32 uint64 bool double float bytes`);
 *   `map` (string to string) or `map<T>`; a message of the same package (`PodSpec`), of another
 *   package (`meta.ObjectMeta`), or a special type (see SPECIAL_TYPES).
 * - suffix: `[]` repeated; `~` an embedded Go struct whose fields JSON inlines into the parent;
 *   `*` a Go pointer scalar, whose zero value is kept; `!` a scalar without `omitempty`, kept too.
 *   Other scalars drop their zero value, because Go's protobuf marshaller writes it but its
 *   JSON marshaller omits it.
 */
export type MessageTable = Record<string, string>;

/** Messages whose JSON form is not an object; special.ts decodes them. */
export const SPECIAL_TYPES = [
  'Time',
  'MicroTime',
  'Duration',
  'Quantity',
  'IntOrString',
  'RawExtension',
  'FieldsV1',
  'StringList',
] as const;
export type SpecialType = (typeof SPECIAL_TYPES)[number];

export const SCALAR_KINDS = [
  'string',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'bool',
  'double',
  'float',
  'bytes',
] as const;
export type ScalarKind = (typeof SCALAR_KINDS)[number];

export type ValueType =
  { kind: ScalarKind } | { kind: 'message'; type: string } | { kind: 'special'; type: SpecialType };

export interface FieldDef {
  no: number;
  json: string;
  value: ValueType;
  shape: 'single' | 'repeated' | 'map';
  /** For single scalars: whether a zero value stays in the JSON. */
  keepZero: boolean;
  inline: boolean;
}

export interface MessageDef {
  /** `package.Message`, for error messages. */
  name: string;
  fields: ReadonlyMap<number, FieldDef>;
}

/** One Go API package: its messages and the kinds (top-level messages) it serves. */
export interface PackageSchema {
  name: string;
  /** The apiVersion of its kinds; `*` for kinds every group version has (DeleteOptions). */
  apiVersion: string;
  kinds: readonly string[];
  messages: MessageTable;
}

export interface Schema {
  messages: ReadonlyMap<string, MessageDef>;
  /** `apiVersion|kind` to message key. */
  kinds: ReadonlyMap<string, string>;
}

const TOKEN = /^([A-Za-z]\w*)=(\d+)(?::(map<[\w.]+>|[\w.]+))?(\[\]|[*!~])?$/;
const isScalar = (t: string): t is ScalarKind => (SCALAR_KINDS as readonly string[]).includes(t);
const isSpecial = (t: string): t is SpecialType => (SPECIAL_TYPES as readonly string[]).includes(t);

function valueType(pkg: string, type: string): ValueType {
  if (isScalar(type)) {
    return { kind: type };
  }
  if (isSpecial(type)) {
    return { kind: 'special', type };
  }
  return { kind: 'message', type: type.includes('.') ? type : `${pkg}.${type}` };
}

function mapValueType(rawType: string): string | undefined {
  return rawType === 'map' ? 'string' : /^map<(.+)>$/.exec(rawType)?.[1];
}

function isFlagAllowed(f: FieldDef, suffix: string): boolean {
  switch (suffix) {
    case '*':
    case '!':
      return f.shape === 'single' && isScalar(f.value.kind);
    case '~':
      return f.shape === 'single' && f.value.kind === 'message';
    case '[]':
      return f.shape === 'repeated';
    default:
      return true;
  }
}

function parseField(pkg: string, message: string, token: string): FieldDef {
  const m = TOKEN.exec(token);
  if (!m) {
    throw new Error(`protobuf schema ${pkg}.${message}: bad field "${token}"`);
  }
  const [, json = '', no = '', rawType = 'string', suffix = ''] = m;
  const mapOf = mapValueType(rawType);
  const field: FieldDef = {
    no: Number(no),
    json,
    value: valueType(pkg, mapOf ?? rawType),
    shape: mapOf !== undefined ? 'map' : suffix === '[]' ? 'repeated' : 'single',
    keepZero: suffix === '*' || suffix === '!',
    inline: suffix === '~',
  };
  if (!isFlagAllowed(field, suffix)) {
    throw new Error(`protobuf schema ${pkg}.${message}: flag not allowed in "${token}"`);
  }
  return field;
}

function parseMessage(pkg: string, name: string, spec: string): MessageDef {
  const fields = new Map<number, FieldDef>();
  const names = new Set<string>();
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    const field = parseField(pkg, name, token);
    if (fields.has(field.no) || names.has(field.json)) {
      throw new Error(`protobuf schema ${pkg}.${name}: field "${token}" defined twice`);
    }
    fields.set(field.no, field);
    names.add(field.json);
  }
  return { name: `${pkg}.${name}`, fields };
}

/** Parses every table and checks that all message references and kinds resolve. */
export function buildSchema(packages: readonly PackageSchema[]): Schema {
  const messages = new Map<string, MessageDef>();
  for (const pkg of packages) {
    for (const [name, spec] of Object.entries(pkg.messages)) {
      const key = `${pkg.name}.${name}`;
      if (messages.has(key)) {
        throw new Error(`protobuf schema: message ${key} defined twice`);
      }
      messages.set(key, parseMessage(pkg.name, name, spec));
    }
  }
  for (const def of messages.values()) {
    for (const f of def.fields.values()) {
      if (f.value.kind === 'message' && !messages.has(f.value.type)) {
        throw new Error(`protobuf schema ${def.name}.${f.json}: unknown message ${f.value.type}`);
      }
    }
  }
  const kinds = new Map<string, string>();
  for (const pkg of packages) {
    for (const kind of pkg.kinds) {
      const key = `${pkg.name}.${kind}`;
      if (!messages.has(key)) {
        throw new Error(`protobuf schema: kind ${pkg.apiVersion} ${kind} has no message`);
      }
      kinds.set(`${pkg.apiVersion}|${kind}`, key);
    }
  }
  return { messages, kinds };
}

/** The message key for an apiVersion and kind, if the schema has one. */
export function messageForKind(
  schema: Schema,
  apiVersion: string,
  kind: string,
): string | undefined {
  return schema.kinds.get(`${apiVersion}|${kind}`) ?? schema.kinds.get(`*|${kind}`);
}
