// Walks a decoded object against its kind's schema the way Kubernetes' strict JSON decoder does:
// unknown fields with their strict-decoding paths, and type errors with the decoder's wording.
import { goTimeParseError, RFC3339, RFC3339_MICRO } from './go-time.js';
import { base64Error, quantityError } from './go-values.js';
import { goTypeName } from './field-types.js';
import type { FieldType } from './field-types.js';
import type { GroupVersionKind, Model, SchemaRegistry } from './registry.js';

export interface FieldCheckResult {
  /** Unknown fields as Kubernetes names them (`spec.template.spec.containers[0].bogus`). */
  unknownFields: string[];
  /**
   * Decode errors (`json: cannot unmarshal string into Go struct field ...`). The first is the
   * one Kubernetes reports; when there is any, Kubernetes reports no unknown fields.
   */
  typeErrors: string[];
}

/** Kubernetes keeps at most this many strict errors per object. */
const MAX_UNKNOWN = 100;

interface Frame {
  value: unknown;
  type: FieldType;
  /** Set for the root: its model may be permissive and so not reachable by name. */
  model?: Model;
  /** Strict-decoding path: JSON names, map keys and `[i]`. */
  path: string;
  /** The decoder's error context: innermost struct and the struct-field names leading here. */
  goStruct: string;
  goField: string;
  goType?: string;
}

type Work = Frame | { unknown: string };

class Fatal extends Error {}

export interface FieldCheckOptions {
  /**
   * Delete unknown fields from `obj` in place, as decoding into Go types drops them (what gets
   * stored under fieldValidation Warn or Ignore). All unknown fields are removed, even past the
   * 100 that are reported.
   */
  pruneUnknownFields?: boolean;
}

/** Checks `obj` against the schema of `gvk`. */
export function checkFields(
  registry: SchemaRegistry,
  gvk: GroupVersionKind,
  obj: unknown,
  opts: FieldCheckOptions = {},
): FieldCheckResult {
  const root = registry.kindModel(gvk);
  const prune = opts.pruneUnknownFields ?? false;
  const walk: Walk = { registry, stack: [], unknown: new Set(), saved: [], prune };
  walk.stack.push({
    value: obj,
    type: { t: 'ref', model: root.name },
    model: root,
    path: '',
    goStruct: '',
    goField: '',
    goType: `${root.goPackage}.${root.goName}`,
  });
  try {
    drain(walk);
  } catch (e) {
    if (!(e instanceof Fatal)) {
      throw e;
    }
    return { unknownFields: [...walk.unknown], typeErrors: [e.message, ...walk.saved] };
  }
  return { unknownFields: [...walk.unknown], typeErrors: walk.saved };
}

interface Walk {
  registry: SchemaRegistry;
  stack: Work[];
  unknown: Set<string>;
  /** Errors Go's decoder saves and reports at the end (the first one wins). */
  saved: string[];
  prune: boolean;
}

function drain(walk: Walk): void {
  for (let work = walk.stack.pop(); work; work = walk.stack.pop()) {
    if (!('unknown' in work)) {
      checkValue(walk, work);
    } else if (walk.unknown.size < MAX_UNKNOWN) {
      walk.unknown.add(work.unknown);
    }
  }
}

const valueKind = (v: unknown): string => {
  if (Array.isArray(v)) {
    return 'array';
  }
  if (typeof v === 'boolean') {
    return 'bool';
  }
  return typeof v === 'object' ? 'object' : typeof v;
};

function unmarshalError(value: string, goType: string, f: Frame): string {
  const into = f.goStruct ? `Go struct field ${f.goStruct}.${f.goField}` : 'Go value';
  return `json: cannot unmarshal ${value} into ${into} of type ${goType}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const INT_LIMITS = { 32: 2 ** 31, 64: 2 ** 63 };

type Check<T extends FieldType['t']> = (
  v: unknown,
  f: Frame & { type: Extract<FieldType, { t: T }> },
  walk: Walk,
) => string | undefined;

const wrongKind = (v: unknown, f: Frame): string =>
  unmarshalError(valueKind(v), f.goType ?? goTypeName(f.type), f);
const kindIs =
  (kind: 'string' | 'boolean' | 'number') =>
  (v: unknown, f: Frame): string | undefined =>
    typeof v === kind ? undefined : wrongKind(v, f);

// Per type: return a saved (non-fatal) error, throw Fatal for errors that end Go's decoding
// (failures inside custom UnmarshalJSON methods), or push child work.
const CHECKS: { [T in FieldType['t']]: Check<T> } = {
  string: kindIs('string'),
  boolean: kindIs('boolean'),
  number: kindIs('number'),
  integer: (v, f) => integerError(v, f.type.bits, f),
  any: () => undefined,
  // JSON arrays of numbers also decode into []byte.
  bytes: (v, f) => {
    if (Array.isArray(v)) {
      return undefined;
    }
    return typeof v === 'string' ? base64Error(v) : wrongKind(v, f);
  },
  // metav1.Time decodes a JSON string, then calls time.Parse.
  time: (v, f) => {
    if (typeof v !== 'string') {
      throw new Fatal(unmarshalError(valueKind(v), 'string', f));
    }
    return throwIf(goTimeParseError(f.type.micro ? RFC3339_MICRO : RFC3339, v));
  },
  // IntOrString decodes a JSON string as a string and anything else as an int32.
  intOrString: (v, f) => (typeof v === 'string' ? undefined : throwIf(integerError(v, 32, f))),
  // Quantity parses the raw JSON text of anything that is not a string.
  quantity: (v) =>
    typeof v === 'number'
      ? undefined
      : throwIf(quantityError(typeof v === 'string' ? v : JSON.stringify(v))),
  ref: (v, f, walk) => {
    if (!isObject(v)) {
      return wrongKind(v, f);
    }
    const model = f.model ?? walk.registry.model(f.type.model);
    if (model) {
      pushStruct(model, v, f, walk);
    }
    return undefined;
  },
  array: (v, f, walk) => {
    if (!Array.isArray(v)) {
      return wrongKind(v, f);
    }
    for (let i = v.length - 1; i >= 0; i--) {
      walk.stack.push(child(f, f.type.items, v[i], `${f.path}[${i}]`));
    }
    return undefined;
  },
  map: (v, f, walk) => {
    if (!isObject(v)) {
      return wrongKind(v, f);
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] ?? '';
      walk.stack.push(child(f, f.type.values, v[key], `${f.path}.${key}`));
    }
    return undefined;
  },
};

function checkValue(walk: Walk, f: Frame): void {
  if (f.value === null) {
    return;
  }
  const check = CHECKS[f.type.t] as Check<FieldType['t']>;
  const error = check(f.value, f, walk);
  if (error !== undefined) {
    walk.saved.push(error);
  }
}

function throwIf(message: string | undefined): undefined {
  if (message !== undefined) {
    throw new Fatal(message);
  }
  return undefined;
}

function integerError(v: unknown, bits: 32 | 64, f: Frame): string | undefined {
  if (typeof v !== 'number') {
    return unmarshalError(valueKind(v), `int${bits}`, f);
  }
  const limit = INT_LIMITS[bits];
  if (Number.isInteger(v) && v >= -limit && v < limit) {
    return undefined;
  }
  return unmarshalError(`number ${String(v)}`, `int${bits}`, f);
}

// List items and map values keep the error context of the field holding them.
function child(f: Frame, type: FieldType, value: unknown, path: string): Frame {
  return { value, type, path, goStruct: f.goStruct, goField: f.goField };
}

function pushStruct(model: Model, obj: Record<string, unknown>, f: Frame, walk: Walk): void {
  const keys = Object.keys(obj);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] ?? '';
    const path = f.path ? `${f.path}.${key}` : key;
    const field = model.fields.get(key);
    if (field) {
      walk.stack.push({
        value: obj[key],
        type: field.type,
        path,
        goStruct: model.goName,
        goField: f.goField ? `${f.goField}.${key}` : key,
        goType: field.goType,
      });
    } else if (!model.preserveUnknownFields) {
      walk.stack.push({ unknown: path });
      if (walk.prune) {
        delete obj[key];
      }
    }
  }
}
