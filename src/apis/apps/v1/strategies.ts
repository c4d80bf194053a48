// The apps/v1 KindStrategy table: Deployment and ReplicaSet defaulting, validation, the
// immutable selector on update, and ignored-field warnings for their pod templates.
import type { FieldError } from '../../../lib/errors.js';
import type { KubeObject, LabelSelector } from '../../meta.js';
import type { KindStrategy } from '../../resource-type.js';
import { podSpecIgnoredFields } from '../../core/v1/ignored-fields.js';
import { dedupe } from '../../validation/field-error.js';
import { guardStrategy } from '../../validation/guard.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object-meta.js';
import {
  defaultDeployment,
  defaultReplicaSet,
  type Deployment,
  type ReplicaSet,
} from './defaults.js';
import {
  validateDeploymentSpec,
  validateReplicaSetSpec,
  validateSelectorImmutable,
} from './validation.js';

const META = { namespaced: true, nameRule: 'dns1123-subdomain' } as const;

type WithSelector = KubeObject & { spec?: { selector?: LabelSelector } };

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateSelectorImmutable(
      (obj as WithSelector).spec?.selector,
      (old as WithSelector).spec?.selector,
    ),
  ]);
}

const templateWarnings = (obj: KubeObject): string[] =>
  podSpecIgnoredFields((obj as Deployment).spec?.template?.spec, 'spec.template.spec');

const strategies: Record<string, KindStrategy> = {
  Deployment: {
    default: (obj) => defaultDeployment(obj),
    validate: (obj) =>
      dedupe([
        ...validateObjectMeta(obj.metadata, META),
        ...validateDeploymentSpec((obj as Deployment).spec ?? {}),
      ]),
    validateUpdate,
    ignoredFields: templateWarnings,
  },
  ReplicaSet: {
    default: (obj) => defaultReplicaSet(obj),
    validate: (obj) =>
      dedupe([
        ...validateObjectMeta(obj.metadata, META),
        ...validateReplicaSetSpec((obj as ReplicaSet).spec ?? {}),
      ]),
    validateUpdate,
    ignoredFields: templateWarnings,
  },
};

/** The apps/v1 strategies by kind, each guarded so that malformed objects never throw. */
export const appsV1Strategies: Record<string, KindStrategy> = Object.fromEntries(
  Object.entries(strategies).map(([kind, s]) => [kind, guardStrategy(s)]),
);
