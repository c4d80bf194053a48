// The core/v1 KindStrategy table: defaulting, validation on create and update, update-only
// rules, and ignored-field warnings for each core kind kubeproc serves.
import type { FieldError } from '../../../lib/errors.js';
import type { KubeObject } from '../../meta.js';
import type { KindStrategy } from '../../resource-type.js';
import { dedupe } from '../../validation/field-error.js';
import { guardStrategy } from '../../validation/guard.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object-meta.js';
import {
  validateEndpoints,
  validateEvent,
  validateNamespace,
  validateNode,
  validateNodeUpdate,
  validateServiceAccount,
} from './cluster-validation.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from './config-validation.js';
import { defaultPod, defaultPodSpec } from './defaults.js';
import { podSpecIgnoredFields, serviceIgnoredFields } from './ignored-fields.js';
import {
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultSecret,
} from './object-defaults.js';
import { validatePodSpecUpdate } from './pod-update.js';
import { defaultService } from './service-defaults.js';
import { validatePodMetadataAndSpec, validatePodTemplateSpec } from './pod-validation.js';
import { validateServiceUpdate } from './service-ips.js';
import { validateService } from './service-validation.js';
import type { Pod, PodTemplateSpec } from './types.js';

export { defaultPod, defaultPodSpec } from './defaults.js';
export { validatePodSpec, validatePodTemplateSpec } from './pod-validation.js';
export { podSpecIgnoredFields } from './ignored-fields.js';
import { prepareServiceForUpdate } from './service-defaults.js';
export { prepareServiceForUpdate };

type Check = (obj: KubeObject) => FieldError[];
type UpdateCheck = (obj: KubeObject, old: KubeObject) => FieldError[];

/** Metadata update rules first, then the kind's own update rules, duplicates removed. */
function withMetaUpdate(extra?: UpdateCheck): UpdateCheck {
  return (obj, old) =>
    dedupe([
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...(extra ? extra(obj, old) : []),
    ]);
}

const deduped =
  (check: Check): Check =>
  (obj) =>
    dedupe(check(obj));

// The template is created when missing, so defaulting lands on the object itself.
const template = (obj: KubeObject): PodTemplateSpec => (obj.template ??= {});

const strategies: Record<string, KindStrategy> = {
  Pod: {
    default: (obj) => defaultPod(obj),
    validate: deduped((obj) => validatePodMetadataAndSpec(obj)),
    validateUpdate: withMetaUpdate((obj, old) => validatePodSpecUpdate(obj, old)),
    ignoredFields: (obj) => podSpecIgnoredFields((obj as Pod).spec, 'spec'),
  },
  PodTemplate: {
    default: (obj) => defaultPodSpec((template(obj).spec ??= {})),
    validate: deduped((obj) => [
      ...validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123-subdomain' }),
      ...validatePodTemplateSpec(template(obj), 'template'),
    ]),
    validateUpdate: withMetaUpdate(),
    ignoredFields: (obj) => podSpecIgnoredFields(template(obj).spec, 'template.spec'),
  },
  Service: {
    default: (obj) => defaultService(obj),
    prepareForUpdate: (obj, old) => prepareServiceForUpdate(obj, old),
    validate: deduped((obj) => validateService(obj)),
    validateUpdate: withMetaUpdate((obj, old) => validateServiceUpdate(obj, old)),
    ignoredFields: (obj) => serviceIgnoredFields(obj),
  },
  Namespace: {
    default: defaultNamespace,
    validate: deduped(validateNamespace),
    validateUpdate: withMetaUpdate(),
  },
  ConfigMap: {
    validate: deduped(validateConfigMap),
    validateUpdate: withMetaUpdate(validateConfigMapUpdate),
  },
  Secret: {
    default: defaultSecret,
    validate: deduped(validateSecret),
    validateUpdate: withMetaUpdate(validateSecretUpdate),
  },
  ServiceAccount: {
    validate: deduped(validateServiceAccount),
    validateUpdate: withMetaUpdate(),
  },
  Endpoints: {
    default: defaultEndpoints,
    validate: deduped(validateEndpoints),
    validateUpdate: withMetaUpdate(),
  },
  Node: {
    default: defaultNode,
    validate: deduped(validateNode),
    validateUpdate: withMetaUpdate(validateNodeUpdate),
  },
  // core/v1 Events get only the legacy checks, on create and on update alike.
  Event: {
    validate: deduped(validateEvent),
  },
};

/** The core/v1 strategies by kind, each guarded so that malformed objects never throw. */
export const coreV1Strategies: Record<string, KindStrategy> = Object.fromEntries(
  Object.entries(strategies).map(([kind, s]) => [kind, guardStrategy(s)]),
);
