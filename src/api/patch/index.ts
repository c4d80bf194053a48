// The PATCH engines of the API server (pure functions, no I/O): JSON merge patch, JSON patch,
// strategic merge patch, server-side apply and the managedFields bookkeeping of ordinary writes.
export { applyMergePatch } from './merge-patch.js';
export {
  applyJsonPatch,
  JSON_PATCH_MAX_COPY_BYTES,
  MAX_JSON_PATCH_OPERATIONS,
  type JsonPatchOptions,
} from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { LAST_APPLIED_ANNOTATION } from './apply-support.js';
export { serverSideApply, type ServerSideApplyOptions } from './server-side-apply.js';
export { updateManagedFields, type UpdateManagedFieldsOptions } from './managed-fields.js';
export { MAX_DEPTH } from './json-value.js';
export { schemaForKind, type GroupVersionKind } from './schema.js';
