// OpenAPI for kubectl: the /openapi/v3 index, one v3 document per group-version (built on first
// request from client-node's models, then cached with its content hash), and the v2 protobuf stub.
import { createHash } from 'node:crypto';
import type { ResourceType } from '../../apis/resource-type.js';
import {
  componentSchemas,
  createSchemaRegistry,
  schemaName,
  schemaNamesFor,
} from '../../apis/schema/index.js';
import type {
  GroupVersionKind,
  JsonSchema,
  KindEntry,
  SchemaNames,
  SchemaRegistry,
} from '../../apis/schema/index.js';
import { resourcePaths } from './paths.js';
import { minimalV2Document } from './v2-protobuf.js';

export interface OpenApiOptions {
  /** Reported in `info.version` and in the v2 document (`v1.32.4`). */
  serverVersion: string;
  /** Shared with field validation so models load once; created when absent. */
  registry?: SchemaRegistry;
  /** Group-versions to list besides those of `resources` (their documents have no paths). */
  groupVersions?: { group: string; version: string }[];
}

export interface OpenApiDocument {
  body: string;
  /** Upper-case hex SHA-512 of `body`, as the `?hash=` of the index URLs. */
  hash: string;
}

export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApi {
  /** GET /openapi/v3. */
  v3Index(): OpenApiV3Index;
  /** GET /openapi/v3/<path> for `api/v1` or `apis/<group>/<version>`; undefined if not served. */
  v3Document(path: string): OpenApiDocument | undefined;
  /** GET /openapi/v2 (protobuf; see OPENAPI_V2_PROTOBUF_CONTENT_TYPE). */
  v2Protobuf(): Buffer;
}

/** The document path of a group-version: `api/v1`, `apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Creates the OpenAPI service; no schema is built until a document or the index is asked for. */
export function createOpenApi(resources: ResourceType[], opts: OpenApiOptions): OpenApi {
  const registry = opts.registry ?? createSchemaRegistry();
  const byPath = new Map<string, { group: string; version: string; resources: ResourceType[] }>();
  const addGroupVersion = (group: string, version: string): ResourceType[] => {
    const path = groupVersionPath(group, version);
    let entry = byPath.get(path);
    if (!entry) {
      entry = { group, version, resources: [] };
      byPath.set(path, entry);
    }
    return entry.resources;
  };
  for (const rt of resources) {
    for (const v of rt.versions) {
      addGroupVersion(rt.group, v.version).push(rt);
    }
  }
  for (const gv of opts.groupVersions ?? []) {
    addGroupVersion(gv.group, gv.version);
  }

  const docs = new Map<string, OpenApiDocument>();
  let names: SchemaNames | undefined;
  const kindEntries = (group: string, version: string, rts: ResourceType[]): KindEntry[] =>
    rts.flatMap((rt) => kindAndList(registry, { group, version, kind: rt.kind }));

  const document = (path: string): OpenApiDocument | undefined => {
    const gv = byPath.get(path);
    if (!gv) {
      return undefined;
    }
    let doc = docs.get(path);
    if (!doc) {
      names ??= schemaNamesFor(
        registry,
        [...byPath.values()].flatMap((e) =>
          kindEntries(e.group, e.version, e.resources).map((k) => k.gvk),
        ),
      );
      const entries = kindEntries(gv.group, gv.version, gv.resources);
      const body = JSON.stringify(
        buildDocument({ registry, names, gv, entries, serverVersion: opts.serverVersion }),
      );
      doc = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
      docs.set(path, doc);
    }
    return doc;
  };

  return {
    v3Index() {
      const paths: OpenApiV3Index['paths'] = {};
      for (const path of [...byPath.keys()].sort()) {
        const doc = document(path);
        if (doc) {
          paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
        }
      }
      return { paths };
    },
    v3Document: (path) => document(path.replace(/^\/+/, '')),
    v2Protobuf: () => minimalV2Document(opts.serverVersion),
  };
}

// A kind and, when client-node has it, its list kind (the response of list operations).
function kindAndList(registry: SchemaRegistry, gvk: GroupVersionKind): KindEntry[] {
  const entries: KindEntry[] = [{ gvk, model: registry.kindModel(gvk) }];
  const listGvk = { ...gvk, kind: `${gvk.kind}List` };
  if (registry.hasKnownSchema(gvk) && registry.hasKnownSchema(listGvk)) {
    entries.push({ gvk: listGvk, model: registry.kindModel(listGvk) });
  }
  return entries;
}

interface DocumentInput {
  registry: SchemaRegistry;
  names: SchemaNames;
  gv: { group: string; version: string; resources: ResourceType[] };
  /** The kinds (and list kinds) of the group-version, with their models. */
  entries: KindEntry[];
  serverVersion: string;
}

function buildDocument({ registry, names, gv, entries, serverVersion }: DocumentInput): JsonSchema {
  const unique = [...new Map(entries.map((e) => [e.model.name, e])).values()];
  const schemas = componentSchemas(registry, unique, names);
  const paths: Record<string, JsonSchema> = {};
  for (const rt of gv.resources) {
    const kind = registry.kindModel({ group: gv.group, version: gv.version, kind: rt.kind });
    const list = entries.find((e) => e.gvk.kind === `${rt.kind}List`);
    Object.assign(
      paths,
      resourcePaths(rt, gv.version, {
        kind: schemaName(names, kind),
        list: list && schemaName(names, list.model),
      }),
    );
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths: sortKeys(paths),
    components: { schemas: sortKeys(schemas) },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
