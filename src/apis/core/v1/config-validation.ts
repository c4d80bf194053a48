// ConfigMap and Secret validation (ValidateConfigMap, ValidateSecret and their updates): keys,
// the 1 MiB total, per-type required keys, and `immutable` objects staying unchanged.
import type { FieldError } from '../../../lib/errors.js';
import type { KubeObject } from '../../meta.js';
import { forbidden, invalid, key, required, tooLong } from '../../validation/field-error.js';
import { deepEqual } from '../../validation/equality.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from '../../validation/object-meta.js';
import { isConfigMapKey } from '../../validation/key-validators.js';

export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

type Data = Record<string, string>;

function records(obj: KubeObject, field: string): Data {
  const v = obj[field];
  return v && typeof v === 'object' ? (v as Data) : {};
}

/** Decoded size of a base64 value, or the offset of the first byte Go's decoder rejects. */
function decodeBase64(value: string): { size: number } | { badByte: number } {
  const s = value.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad) {
    return { badByte: bad.index };
  }
  const pad = s.indexOf('=');
  if (s.length % 4 !== 0 || (pad >= 0 && (pad < s.length - 2 || /[^=]/.test(s.slice(pad))))) {
    return { badByte: pad >= 0 ? pad : s.length - (s.length % 4) };
  }
  return { size: (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0) };
}

function validateKeys(data: Data, path: string): FieldError[] {
  return Object.keys(data).flatMap((k) =>
    isConfigMapKey(k).map((m) => invalid(key(path, k), k, m)),
  );
}

/** Sums decoded sizes; malformed base64 is reported instead of counted. */
function binarySize(data: Data, path: string, errs: FieldError[]): number {
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    const d = decodeBase64(String(v));
    if ('badByte' in d) {
      errs.push(
        invalid(
          key(path, k),
          '<secret contents redacted>',
          `illegal base64 data at input byte ${d.badByte}`,
        ),
      );
    } else {
      total += d.size;
    }
  }
  return total;
}

/** ValidateConfigMap. */
export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true, nameRule: 'dns1123-subdomain' });
  const data = records(cm, 'data');
  const binary = records(cm, 'binaryData');
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => invalid(key('data', k), k, m)));
    if (k in binary) {
      errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    }
    total += Buffer.byteLength(String(v));
  }
  errs.push(...validateKeys(binary, 'binaryData'));
  total += binarySize(binary, 'binaryData', errs);
  if (total > MAX_SECRET_SIZE) {
    // Upstream reports this against the whole object, with an empty path.
    errs.push(tooLong('', MAX_SECRET_SIZE));
  }
  return errs;
}

function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) {
    return [];
  }
  const errs: FieldError[] = [];
  if (obj.immutable !== true) {
    errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
  }
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) {
      errs.push(forbidden(f, IMMUTABLE_WHEN_SET));
    }
  }
  return errs;
}

/** The update-only ConfigMap rules. */
export function validateConfigMapUpdate(cm: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableData(cm, old, ['data', 'binaryData']);
}

function requireKeys(data: Data, keys: string[]): FieldError[] {
  return keys.filter((k) => !(k in data)).map((k) => required(key('data', k)));
}

function validateJSONKey(data: Data, k: string): FieldError[] {
  if (!(k in data)) {
    return [required(key('data', k))];
  }
  try {
    JSON.parse(Buffer.from(String(data[k]), 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [
      invalid(
        key('data', k),
        '<secret contents redacted>',
        e instanceof Error ? e.message : String(e),
      ),
    ];
  }
}

function validateSecretType(secret: KubeObject, data: Data): FieldError[] {
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      const name = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
      return name ? [] : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    }
    case 'kubernetes.io/dockercfg':
      return validateJSONKey(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return validateJSONKey(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return 'username' in data || 'password' in data
        ? []
        : requireKeys(data, ['username', 'password']);
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required(key('data', 'ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return requireKeys(data, ['tls.crt', 'tls.key']);
    default:
      return [];
  }
}

/** ValidateSecret (stringData must already be folded into data by defaulting). */
export function validateSecret(secret: KubeObject): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, {
    namespaced: true,
    nameRule: 'dns1123-subdomain',
  });
  const data = records(secret, 'data');
  errs.push(...validateKeys(data, 'data'));
  if (binarySize(data, 'data', errs) > MAX_SECRET_SIZE) {
    errs.push(tooLong('data', MAX_SECRET_SIZE));
  }
  errs.push(...validateSecretType(secret, data));
  return errs;
}

/** The update-only Secret rules: type fixed, immutable data fixed. */
export function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof secret.type === 'string' ? secret.type : '';
  if (type !== (typeof old.type === 'string' ? old.type : '')) {
    errs.push(invalid('type', type, FIELD_IMMUTABLE));
  }
  errs.push(...validateImmutableData(secret, old, ['data']));
  return errs;
}
