// PATCH in its four flavours: JSON patch, merge patch, strategic merge patch, server-side apply.
// The patch applies to the object in the requested version, then follows the update path.
import type { KubeObject } from '../../apis/meta.js';
import { apiVersionOf, formatTime } from '../../apis/meta.js';
import { badRequest, conflict, STALE_OBJECT, ApiError } from '../../lib/errors.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  serverSideApply,
} from '../patch/index.js';
import type { Scope, WriteOptions } from './context.js';
import { fromStorage, toStorage } from './convert.js';
import { objectKey } from './keys.js';
import type { ResourceService } from './resource-service.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export interface PatchOptions extends WriteOptions {
  subresource?: string;
  force?: boolean;
}

/** Applies a patch to the named object; apply patches create it when absent. */
export function patchObject(
  svc: ResourceService,
  scope: Scope,
  name: string,
  type: PatchType,
  patch: unknown,
  opts: PatchOptions,
): { object: KubeObject; created: boolean } {
  const { rt } = scope;
  const entry = svc.deps.store.get(objectKey(rt, scope.namespace, name));
  const gvk = { group: rt.group, version: scope.version.version, kind: rt.kind };
  if (type === 'apply' && !opts.fieldManager) {
    throw badRequest('PATCH with apply requires the fieldManager query parameter');
  }
  if (!entry) {
    if (type !== 'apply' || opts.subresource) {
      return notFoundFor(svc, scope, name);
    }
    const applied = asObject(patch);
    checkIdentity(scope, name, applied);
    const created = serverSideApply({
      current: undefined,
      applied,
      manager: opts.fieldManager ?? '',
      force: !!opts.force,
      apiVersion: apiVersionOf(rt.group, scope.version.version),
      now: formatTime(svc.deps.now()),
      kind: gvk,
    });
    created.metadata = { ...created.metadata, name };
    const { fieldManager: _m, ...createOpts } = opts;
    return { object: svc.create(scope, created, createOpts), created: true };
  }
  const current = fromStorage(rt, scope.version, entry.object);
  const patched = applyPatch(type, current, patch, gvk, svc, opts);
  checkIdentity(scope, name, patched);
  const rv = patched.metadata?.resourceVersion;
  if (rv && rv !== entry.object.metadata.resourceVersion) {
    throw conflict({ group: rt.group, resource: rt.resource }, name, STALE_OBJECT);
  }
  const next = toStorage(rt, scope.version, patched);
  // Apply recorded its own managedFields; other patches are stamped as an Update.
  const writeOpts = type === 'apply' ? { ...opts, fieldManager: undefined } : opts;
  const object = svc.replaceStored(scope, entry.object, next, writeOpts);
  return { object, created: false };
}

function applyPatch(
  type: PatchType,
  current: KubeObject,
  patch: unknown,
  gvk: { group: string; version: string; kind: string },
  svc: ResourceService,
  opts: PatchOptions,
): KubeObject {
  switch (type) {
    case 'json':
      return asObject(applyJsonPatch(current, patch));
    case 'merge':
      return asObject(applyMergePatch(current, patch));
    case 'strategic':
      return applyStrategicMergePatch(current, patch, gvk);
    case 'apply':
      return serverSideApply({
        current,
        applied: asObject(patch),
        manager: opts.fieldManager ?? '',
        force: !!opts.force,
        apiVersion: apiVersionOf(gvk.group, gvk.version),
        now: formatTime(svc.deps.now()),
        kind: gvk,
      });
  }
}

function asObject(value: unknown): KubeObject {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('the patch must produce a JSON object');
  }
  const obj = value as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') {
    obj.metadata = {};
  }
  return obj;
}

function checkIdentity(scope: Scope, name: string, obj: KubeObject): void {
  const meta = obj.metadata;
  if (meta.name && meta.name !== name) {
    throw badRequest(
      `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
    );
  }
  if (scope.rt.namespaced && meta.namespace && meta.namespace !== scope.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  meta.name = name;
}

function notFoundFor(svc: ResourceService, scope: Scope, name: string): never {
  svc.getStored(scope, name);
  throw new ApiError(404, 'NotFound', `${scope.rt.resource} "${name}" not found`);
}
