// The `paths` of a per-group-version OpenAPI v3 document: list/create on collections, get/replace/
// patch/delete on items, each tagged with its kind. PATCH always advertises fieldValidation (kubectl
// then validates server-side) and no operation has a requestBody (kubectl then computes strategic
// merge patches from its compiled-in types instead of from our schemas; KUBECTL.md §1.8).
import type { ResourceType } from '../../apis/resource-type.js';
import type { JsonSchema } from '../../apis/schema/index.js';

const DEFAULT_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

type ParamType = 'string' | 'integer' | 'boolean';
const query = (name: string, type: ParamType = 'string'): JsonSchema => ({
  name,
  in: 'query',
  schema: { type },
});
const pathParam = (name: string): JsonSchema => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
});

const WRITE_PARAMS = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
const PARAMS: Record<string, JsonSchema[]> = {
  list: [
    query('labelSelector'),
    query('fieldSelector'),
    query('limit', 'integer'),
    query('continue'),
    query('resourceVersion'),
    query('timeoutSeconds', 'integer'),
    query('watch', 'boolean'),
  ],
  get: [],
  post: WRITE_PARAMS,
  put: WRITE_PARAMS,
  patch: [...WRITE_PARAMS, query('force', 'boolean')],
  delete: [query('dryRun'), query('gracePeriodSeconds', 'integer'), query('propagationPolicy')],
};

/** Component schema names an operation's response refers to. */
export interface ResponseSchemas {
  kind: string;
  list?: string;
}

/** The OpenAPI path items of one resource in one version. */
export function resourcePaths(
  rt: ResourceType,
  version: string,
  schemas: ResponseSchemas,
): Record<string, JsonSchema> {
  const verbs = new Set(rt.verbs ?? DEFAULT_VERBS);
  const prefix = rt.group ? `/apis/${rt.group}/${version}` : `/api/${version}`;
  const ids = `${groupCamel(rt.group)}${capitalize(version)}`;
  const scoped = `${ids}${rt.namespaced ? 'Namespaced' : ''}${rt.kind}`;
  const op = operationFactory({ group: rt.group, kind: rt.kind, version });
  const listSchema = schemas.list ?? schemas.kind;

  // [verb served, HTTP method, x-kubernetes-action, operationId, response schema]
  const collectionOps: OpSpec[] = [
    ['list', 'get', 'list', `list${scoped}`, listSchema],
    ['create', 'post', 'post', `create${scoped}`, schemas.kind],
  ];
  const itemOps: OpSpec[] = [
    ['get', 'get', 'get', `read${scoped}`, schemas.kind],
    ['update', 'put', 'put', `replace${scoped}`, schemas.kind],
    ['patch', 'patch', 'patch', `patch${scoped}`, schemas.kind],
    ['delete', 'delete', 'delete', `delete${scoped}`, schemas.kind],
  ];
  const build = (specs: OpSpec[]): JsonSchema =>
    Object.fromEntries(
      specs.filter(([verb]) => verbs.has(verb)).map(([, method, ...rest]) => [method, op(...rest)]),
    );

  const base = rt.namespaced
    ? `${prefix}/namespaces/{namespace}/${rt.resource}`
    : `${prefix}/${rt.resource}`;
  const scope = rt.namespaced ? [pathParam('namespace')] : [];
  const out: Record<string, JsonSchema> = {};
  addPath(out, base, build(collectionOps), scope);
  addPath(out, `${base}/{name}`, build(itemOps), [pathParam('name'), ...scope]);
  if (rt.namespaced) {
    const allNamespaces: OpSpec = [
      'list',
      'get',
      'list',
      `list${ids}${rt.kind}ForAllNamespaces`,
      listSchema,
    ];
    addPath(out, `${prefix}/${rt.resource}`, build([allNamespaces]), []);
  }
  return out;
}

type OpSpec = [
  verb: string,
  method: string,
  action: string,
  id: string,
  schema: string | undefined,
];

function operationFactory(gvk: { group: string; kind: string; version: string }) {
  return (action: string, id: string, schema: string | undefined): JsonSchema => ({
    operationId: id,
    parameters: PARAMS[action] ?? [],
    responses: { '200': okResponse(schema) },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
}

function addPath(
  out: Record<string, JsonSchema>,
  path: string,
  ops: JsonSchema,
  parameters: JsonSchema[],
): void {
  if (Object.keys(ops).length > 0) {
    out[path] = { ...ops, parameters };
  }
}

function okResponse(schema: string | undefined): JsonSchema {
  if (!schema) {
    return { description: 'OK' };
  }
  return {
    description: 'OK',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `apps` → `Apps`, `` → `Core`, `rbac.authorization.k8s.io` → `RbacAuthorization`. */
function groupCamel(group: string): string {
  if (group === '') {
    return 'Core';
  }
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map(capitalize)
    .join('');
}
