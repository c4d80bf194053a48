// Environment validation (ValidateEnv, ValidateEnvFrom): names under the relaxed 1.32 rule, and
// exactly one valueFrom source with a well-formed selector.
import type { FieldError } from '../../../lib/errors.js';
import { child, index, invalid, notSupported, required } from '../../validation/field-error.js';
import { validateName } from '../../validation/object-meta.js';
import { isConfigMapKey, isRelaxedEnvVarName } from '../../validation/key-validators.js';
import { isQualifiedName } from '../../validation/validators.js';
import type { EnvFromSource, EnvVar, KeySelector } from './types.js';

const FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const RESOURCE_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

function validateFieldRef(
  ref: { apiVersion?: string; fieldPath?: string },
  path: string,
): FieldError[] {
  if (!ref.apiVersion) {
    return [required(child(path, 'apiVersion'))];
  }
  const fieldPath = ref.fieldPath ?? '';
  if (!fieldPath) {
    return [required(child(path, 'fieldPath'))];
  }
  const converted = convertFieldLabel(ref.apiVersion, fieldPath);
  if ('error' in converted) {
    return [
      invalid(
        child(path, 'fieldPath'),
        fieldPath,
        `error converting fieldPath: ${converted.error}`,
      ),
    ];
  }
  if (converted.subscript !== undefined) {
    const key =
      converted.path === 'metadata.annotations'
        ? converted.subscript.toLowerCase()
        : converted.subscript;
    return isQualifiedName(key).map((m) => invalid(path, key, m));
  }
  return FIELD_PATHS.includes(converted.path)
    ? []
    : [notSupported(child(path, 'fieldPath'), converted.path, FIELD_PATHS)];
}

const CONVERTIBLE_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

// ConvertDownwardAPIFieldLabel: `metadata.labels['k']` splits into path and subscript.
function convertFieldLabel(
  apiVersion: string,
  label: string,
): { path: string; subscript?: string } | { error: string } {
  if (apiVersion !== 'v1') {
    return { error: `unsupported pod version: ${apiVersion}` };
  }
  const open = label.indexOf("['");
  if (label.endsWith("']") && open > 0) {
    const path = label.slice(0, open);
    if (path !== 'metadata.annotations' && path !== 'metadata.labels') {
      return { error: `field label does not support subscript: ${label}` };
    }
    return { path, subscript: label.slice(open + 2, -2) };
  }
  if (label === 'spec.host') {
    return { path: 'spec.nodeName' };
  }
  return CONVERTIBLE_LABELS.has(label)
    ? { path: label }
    : { error: `field label not supported: ${label}` };
}

function validateKeySelector(sel: KeySelector, path: string): FieldError[] {
  const name = sel.name ?? '';
  const errs = validateName('dns1123-subdomain', name).map((m) =>
    invalid(child(path, 'name'), name, m),
  );
  if (!sel.key) {
    errs.push(required(child(path, 'key')));
  } else {
    errs.push(...isConfigMapKey(sel.key).map((m) => invalid(child(path, 'key'), sel.key, m)));
  }
  return errs;
}

function validateValueFrom(ev: EnvVar, path: string): FieldError[] {
  const from = ev.valueFrom;
  if (!from) {
    return [];
  }
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateFieldRef(from.fieldRef, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    const resource = from.resourceFieldRef.resource ?? '';
    const p = child(path, 'resourceFieldRef');
    if (!resource) {
      errs.push(required(child(p, 'resource')));
    } else if (
      !RESOURCE_PATHS.includes(resource) &&
      !/^(requests|limits)\.hugepages-/.test(resource)
    ) {
      errs.push(notSupported(child(p, 'resource'), resource, RESOURCE_PATHS));
    }
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, child(path, 'configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, child(path, 'secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(
      invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (ev.value) {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** ValidateEnv: names required and printable ASCII without '=', valueFrom well formed. */
export function validateEnv(vars: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const p = index(path, i);
    if (!ev.name) {
      errs.push(required(child(p, 'name')));
    } else {
      errs.push(...isRelaxedEnvVarName(ev.name).map((m) => invalid(child(p, 'name'), ev.name, m)));
    }
    errs.push(...validateValueFrom(ev, child(p, 'valueFrom')));
  });
  return errs;
}

function validateRefName(name: string | undefined, path: string): FieldError[] {
  if (!name) {
    return [required(child(path, 'name'))];
  }
  return validateName('dns1123-subdomain', name, true).map((m) =>
    invalid(child(path, 'name'), name, m),
  );
}

/** ValidateEnvFrom: one of configMapRef/secretRef, with a valid optional prefix. */
export function validateEnvFrom(sources: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((src, i) => {
    const p = index(path, i);
    if (src.prefix) {
      errs.push(
        ...isRelaxedEnvVarName(src.prefix).map((m) => invalid(child(p, 'prefix'), src.prefix, m)),
      );
    }
    let count = 0;
    if (src.configMapRef) {
      count++;
      errs.push(...validateRefName(src.configMapRef.name, child(p, 'configMapRef')));
    }
    if (src.secretRef) {
      count++;
      errs.push(...validateRefName(src.secretRef.name, child(p, 'secretRef')));
    }
    // Upstream reports these two at the list path, without the index.
    if (count === 0) {
      errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    } else if (count > 1) {
      errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}
