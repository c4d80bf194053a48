// Schema knowledge behind server-side field validation and OpenAPI: the public surface.
export { createSchemaRegistry } from './registry.js';
export type {
  GroupVersionKind,
  Model,
  ModelField,
  SchemaRegistry,
  SchemaRegistryOptions,
} from './registry.js';
export type { FieldCheckOptions, FieldCheckResult } from './check-fields.js';
export { findDuplicateFields } from './duplicates.js';
export {
  decodeErrorMessage,
  strictDecodingMessage,
  strictErrors,
  strictWarnings,
} from './strict.js';
export { componentSchemas, INT_OR_STRING, QUANTITY } from './openapi-schemas.js';
export type { JsonSchema, KindEntry } from './openapi-schemas.js';
export { groupPackage, schemaName, schemaNamesFor } from './schema-names.js';
export type { SchemaNames } from './schema-names.js';
