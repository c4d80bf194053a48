// The scale subresource (autoscaling/v1 Scale) as REST operations, shared by the HTTP handler and
// the in-process client: read a kind's replicas and selector, and write spec.replicas back.
import type { KubeObject } from '../../apis/meta.js';
import { ApiError, badRequest, conflict, notFound, STALE_OBJECT } from '../../lib/errors.js';
import type { Scope, WriteOptions } from './context.js';
import type { ResourceService } from './resource-service.js';

/** The Scale view of a stored object; 404 for kinds without a scale subresource. */
export function scaleOf(scope: Scope, stored: KubeObject): KubeObject {
  const access = scope.rt.scale;
  if (!access) {
    throw notFound(
      { group: scope.rt.group, resource: `${scope.rt.resource}/scale` },
      stored.metadata.name ?? '',
    );
  }
  const m = stored.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: access.specReplicas(stored) },
    status: { replicas: access.statusReplicas(stored), selector: access.selector(stored) },
  };
}

/** GET `<resource>/<name>/scale`. */
export function getScale(svc: ResourceService, scope: Scope, name: string): KubeObject {
  return scaleOf(scope, svc.getStored(scope, name));
}

/** Writes `wanted.spec.replicas` (checking its resourceVersion if set); returns the new Scale. */
export function updateScale(
  svc: ResourceService,
  scope: Scope,
  name: string,
  wanted: KubeObject,
  opts: WriteOptions,
): KubeObject {
  const stored = svc.getStored(scope, name);
  scaleOf(scope, stored);
  const rv = wanted.metadata.resourceVersion;
  if (rv && rv !== stored.metadata.resourceVersion) {
    throw conflict({ group: scope.rt.group, resource: scope.rt.resource }, name, STALE_OBJECT);
  }
  const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw badRequest('spec.replicas must be an integer');
  }
  if (replicas < 0) {
    throw invalidReplicas(name, replicas);
  }
  const next = structuredClone(stored);
  scope.rt.scale?.setSpecReplicas(next, replicas);
  const updated = svc.replaceStored(scope, stored, next, { ...opts, subresource: 'scale' });
  return scaleOf(scope, opts.dryRun ? updated : svc.getStored(scope, name));
}

function invalidReplicas(name: string, replicas: number): ApiError {
  const message = `Invalid value: ${replicas}: must be greater than or equal to 0`;
  return new ApiError(
    422,
    'Invalid',
    `Scale.autoscaling "${name}" is invalid: spec.replicas: ${message}`,
    {
      name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message, field: 'spec.replicas' }],
    },
  );
}
