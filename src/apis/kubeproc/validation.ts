// Validation of Image objects. client-node has no schema for this kind, so the API server decodes
// it permissively: types and unknown fields are checked here, with CRD-schema wording for types.
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import { asRecord } from '../autoscaling/field.js';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  required,
} from '../validation/field-error.js';
import { isRelaxedEnvVarName } from '../validation/key-validators.js';
import { imageObjectName } from './object-name.js';
import { checkImageReference, formatImageReference } from './reference.js';

const SPEC_FIELDS = ['image', 'entrypoint', 'cmd', 'workingDir', 'env'];
const ENV_FIELDS = ['name', 'value'];

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  if (typeof value === 'string') {
    return 'string';
  }
  return typeof value === 'boolean' ? 'boolean' : 'object';
}

/** `Invalid value: "string": spec.cmd in body must be of type array: "string"` (kube-openapi). */
function typeError(path: string, value: unknown, expected: JsonType): FieldError {
  const actual = jsonType(value);
  return invalid(path, actual, `${path} in body must be of type ${expected}: "${actual}"`);
}

function unknownFields(obj: Record<string, unknown>, known: string[], path: string): FieldError[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) =>
      forbidden(
        child(path, k),
        `unknown field; known fields: ${known.map((f) => `"${f}"`).join(', ')}`,
      ),
    );
}

function validateReference(obj: KubeObject, image: unknown): FieldError[] {
  if (image === undefined || image === null || image === '') {
    return [required('spec.image')];
  }
  if (typeof image !== 'string') {
    return [typeError('spec.image', image, 'string')];
  }
  const { ref, problem } = checkImageReference(image);
  if (!ref) {
    return [invalid('spec.image', image, problem)];
  }
  const expected = imageObjectName(ref);
  const name = obj.metadata.name;
  if (name && name !== expected) {
    return [
      invalid(
        'metadata.name',
        name,
        `must be "${expected}", the name derived from spec.image "${formatImageReference(ref)}"`,
      ),
    ];
  }
  return [];
}

/** A list of strings; `isProgram` requires a non-empty first word (the file to run). */
function validateWords(value: unknown, path: string, isProgram: boolean): FieldError[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return [typeError(path, value, 'array')];
  }
  const errs = value.flatMap((word: unknown, i) =>
    typeof word === 'string' ? [] : [typeError(index(path, i), word, 'string')],
  );
  if (isProgram && value[0] === '') {
    errs.push(invalid(index(path, 0), '', 'must not be empty: it names the program to run'));
  }
  return errs;
}

function validateWorkingDir(value: unknown): FieldError[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  if (typeof value !== 'string') {
    return [typeError('spec.workingDir', value, 'string')];
  }
  return value.startsWith('/')
    ? []
    : [invalid('spec.workingDir', value, 'must be an absolute path')];
}

function validateEnvVar(entry: unknown, path: string, seen: Set<string>): FieldError[] {
  const env = asRecord(entry);
  if (!env) {
    return [typeError(path, entry, 'object')];
  }
  const errs = unknownFields(env, ENV_FIELDS, path);
  const name = env.name;
  if (name === undefined || name === null || name === '') {
    errs.push(required(child(path, 'name')));
  } else if (typeof name !== 'string') {
    errs.push(typeError(child(path, 'name'), name, 'string'));
  } else {
    errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(child(path, 'name'), name, m)));
    if (seen.has(name)) {
      errs.push(duplicate(child(path, 'name'), name));
    }
    seen.add(name);
  }
  if (env.value !== undefined && env.value !== null && typeof env.value !== 'string') {
    errs.push(typeError(child(path, 'value'), env.value, 'string'));
  }
  return errs;
}

function validateEnv(value: unknown): FieldError[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return [typeError('spec.env', value, 'array')];
  }
  const seen = new Set<string>();
  return value.flatMap((entry: unknown, i) => validateEnvVar(entry, index('spec.env', i), seen));
}

/** Every problem with an Image (after defaulting); metadata is checked by the API server. */
export function validateImage(obj: KubeObject): FieldError[] {
  if (obj.spec === undefined || obj.spec === null) {
    return [required('spec.image')];
  }
  const spec = asRecord(obj.spec);
  if (!spec) {
    return [typeError('spec', obj.spec, 'object')];
  }
  const entrypoint = spec.entrypoint;
  const hasEntrypoint = Array.isArray(entrypoint) && entrypoint.length > 0;
  return [
    ...validateReference(obj, spec.image),
    ...validateWords(entrypoint, 'spec.entrypoint', true),
    ...validateWords(spec.cmd, 'spec.cmd', !hasEntrypoint),
    ...validateWorkingDir(spec.workingDir),
    ...validateEnv(spec.env),
    ...unknownFields(spec, SPEC_FIELDS, 'spec'),
  ];
}
