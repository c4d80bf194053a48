// OpenAPI endpoints' data for the API server: the public surface.
export { createOpenApi, groupVersionPath } from './openapi.js';
export type { OpenApi, OpenApiDocument, OpenApiOptions, OpenApiV3Index } from './openapi.js';
export { minimalV2Document, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './v2-protobuf.js';
