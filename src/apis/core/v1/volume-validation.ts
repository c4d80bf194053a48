// Pod volume validation (ValidateVolumes, validateVolumeSource): unique DNS-label names, exactly
// one source, and the sources a process runtime can serve checked in detail.
import type { FieldError } from '../../../lib/errors.js';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { isQuantity, readQuantity } from '../../validation/quantity.js';
import { validateDNSLabel, validateLocalDescendingPath } from './container-validation.js';
import type { Volume } from './types.js';

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

// In upstream's order, with the path upstream reports for "more than 1 volume type" (two differ
// from the JSON names: `cephFS` and the misspelt `downwarAPI`).
const SOURCES: [string, string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

type Src = Record<string, unknown>;

function validateMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0)
    ? [invalid(path, mode, FILE_MODE_ERROR)]
    : [];
}

/** A relative path without `..` elements that does not start with `..`. */
function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) {
    errs.push(invalid(path, target, "must not start with '..'"));
  }
  return errs;
}

function validateItems(items: unknown, path: string, needsKey: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? (items as Src[]) : []).forEach((item, i) => {
    const p = needsKey ? index(child(path, 'items'), i) : path;
    const target = typeof item.path === 'string' ? item.path : '';
    if (needsKey && !item.key) {
      errs.push(required(child(p, 'key')));
    }
    if (!target) {
      errs.push(required(child(p, 'path')));
    }
    errs.push(...validateLocalNonReservedPath(target, child(p, 'path')));
    if (!needsKey && item.fieldRef && item.resourceFieldRef) {
      errs.push(
        invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'),
      );
    } else if (!needsKey && !item.fieldRef && !item.resourceFieldRef) {
      errs.push(required(p, 'one of fieldRef and resourceFieldRef is required'));
    }
    errs.push(...validateMode(item.mode, child(p, 'mode')));
  });
  return errs;
}

function validateHostPath(src: Src, path: string): FieldError[] {
  const target = typeof src.path === 'string' ? src.path : '';
  if (!target) {
    return [required(child(path, 'path'))];
  }
  const errs = target.split('/').includes('..')
    ? [invalid(child(path, 'path'), target, "must not contain '..'")]
    : [];
  const type = src.type;
  if (typeof type === 'string' && !HOST_PATH_TYPES.includes(type)) {
    errs.push(notSupported(child(path, 'type'), type, HOST_PATH_TYPES));
  }
  return errs;
}

function validateKeyedSource(nameField: string, src: Src, path: string): FieldError[] {
  const errs = src[nameField] ? [] : [required(child(path, nameField))];
  errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')));
  errs.push(...validateItems(src.items, path, true));
  return errs;
}

// Sources a process runtime can serve are checked in detail; the others are only counted.
const SOURCE_CHECKS: Record<string, (src: Src, path: string) => FieldError[]> = {
  emptyDir: (src, path) => {
    const q = src.sizeLimit === undefined ? undefined : readQuantity(src.sizeLimit);
    return q && isQuantity(q) && q.sign() < 0
      ? [forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity')]
      : [];
  },
  hostPath: validateHostPath,
  secret: (src, path) => validateKeyedSource('secretName', src, path),
  configMap: (src, path) => validateKeyedSource('name', src, path),
  downwardAPI: (src, path) => [
    ...validateMode(src.defaultMode, child(path, 'defaultMode')),
    ...validateItems(src.items, path, false),
  ],
  persistentVolumeClaim: (src, path) => (src.claimName ? [] : [required(child(path, 'claimName'))]),
};

function validateVolumeSource(vol: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [name, reported] of SOURCES) {
    const src = vol[name];
    if (src == null) {
      continue;
    }
    if (count > 0) {
      errs.push(forbidden(child(path, reported), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const check = SOURCE_CHECKS[name];
    if (check) {
      errs.push(...check(typeof src === 'object' ? (src as Src) : {}, child(path, name)));
    }
  }
  if (count === 0) {
    errs.push(required(path, 'must specify a volume type'));
  }
  return errs;
}

/** ValidateVolumes: returns the names usable by volumeMounts and the errors found. */
export function validateVolumes(
  volumes: Volume[] | undefined,
  path: string,
): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const p = index(path, i);
    const namePath = child(p, 'name');
    const name = vol.name ?? '';
    const el = validateVolumeSource(vol, p);
    el.push(...(name ? validateDNSLabel(name, namePath) : [required(namePath)]));
    if (names.has(name)) {
      el.push(duplicate(namePath, name));
    }
    if (el.length === 0) {
      names.add(name);
    } else {
      errs.push(...el);
    }
  });
  return { names, errs };
}
