// Tests: OpenAPI component schemas: names, types, descriptions, GVK tags.
import { describe, expect, it } from 'vitest';
import { componentSchemas, INT_OR_STRING, QUANTITY } from './openapi-schemas.js';
import type { JsonSchema } from './openapi-schemas.js';
import { createSchemaRegistry } from './registry.js';
import type { GroupVersionKind } from './registry.js';
import { groupPackage, schemaNamesFor } from './schema-names.js';

const registry = createSchemaRegistry();

function build(kinds: GroupVersionKind[]): Record<string, JsonSchema> {
  const names = schemaNamesFor(registry, kinds);
  return componentSchemas(
    registry,
    kinds.map((gvk) => ({ gvk, model: registry.kindModel(gvk) })),
    names,
  );
}

/** Follows a dotted field path through properties, $ref, allOf, items and additionalProperties. */
function field(schemas: Record<string, JsonSchema>, root: string, path: string): JsonSchema {
  const resolve = (s: JsonSchema): JsonSchema => {
    if (s.items) {
      return resolve(s.items as JsonSchema);
    }
    const ref = (s.$ref ?? (s.allOf as JsonSchema[] | undefined)?.[0]?.$ref) as string | undefined;
    const target = ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined;
    if (ref && !target) {
      throw new Error(`dangling ${ref}`);
    }
    return target ?? s;
  };
  let cur = schemas[root] as JsonSchema;
  for (const name of path.split('.')) {
    const props = resolve(cur).properties as Record<string, JsonSchema> | undefined;
    const next = props?.[name];
    if (!next) {
      throw new Error(`no field ${name} in ${path}`);
    }
    cur = next;
  }
  return cur;
}

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

describe('componentSchemas', () => {
  const schemas = build([DEPLOYMENT]);

  it('documents spec.strategy.rollingUpdate.maxSurge as an IntOrString with a description', () => {
    const maxSurge = field(
      schemas,
      'io.k8s.api.apps.v1.Deployment',
      'spec.strategy.rollingUpdate.maxSurge',
    );
    expect(maxSurge).toEqual({ $ref: `#/components/schemas/${INT_OR_STRING}` });
    expect(schemas[INT_OR_STRING]).toMatchObject({
      'x-kubernetes-int-or-string': true,
      format: 'int-or-string',
      description: expect.stringContaining('int32 or a string') as string,
    });
    const strategy = field(schemas, 'io.k8s.api.apps.v1.Deployment', 'spec.strategy');
    expect(strategy.description).toMatch(/how to replace existing pods/);
  });

  it('tags only the kind with its GVK, as an array', () => {
    expect(schemas['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(
      schemas['io.k8s.api.apps.v1.DeploymentSpec']?.['x-kubernetes-group-version-kind'],
    ).toBeUndefined();
  });

  it('names types by their Kubernetes package', () => {
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'io.k8s.api.apps.v1.DeploymentSpec',
        'io.k8s.api.core.v1.PodTemplateSpec',
        'io.k8s.api.core.v1.Container',
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
        QUANTITY,
      ]),
    );
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(schemas).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      expect(schemas[ref.slice('"#/components/schemas/'.length, -1)], ref).toBeDefined();
    }
  });

  it.each([
    ['spec.replicas', { type: 'integer', format: 'int32' }],
    ['spec.paused', { type: 'boolean' }],
    ['metadata.creationTimestamp', { type: 'string', format: 'date-time' }],
    ['metadata.labels', { type: 'object', additionalProperties: { type: 'string' } }],
    ['spec.template.spec.containers', { type: 'array' }],
    ['spec.template.spec.activeDeadlineSeconds', { type: 'integer', format: 'int64' }],
  ])('types %s', (path, expected) => {
    expect(field(schemas, 'io.k8s.api.apps.v1.Deployment', path)).toMatchObject(expected);
  });

  it('marks required fields and resource maps of Quantity', () => {
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec']?.required).toEqual([
      'selector',
      'template',
    ]);
    const limits = field(
      schemas,
      'io.k8s.api.apps.v1.Deployment',
      'spec.template.spec.containers.resources.limits',
    );
    expect(limits.additionalProperties).toEqual({ $ref: `#/components/schemas/${QUANTITY}` });
    expect(limits.description).toMatch(/maximum amount of compute resources/);
  });

  it('gives kinds without a client-node model a permissive schema', () => {
    const kind = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' };
    const metrics = build([kind])['io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics'];
    expect(metrics).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [kind],
    });
  });
});

describe('groupPackage', () => {
  it.each([
    ['', 'io.k8s.api.core'],
    ['apps', 'io.k8s.api.apps'],
    ['networking.k8s.io', 'io.k8s.api.networking'],
    ['rbac.authorization.k8s.io', 'io.k8s.api.rbac'],
    ['apiextensions.k8s.io', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions'],
    ['kubeproc.example.com', 'com.example.kubeproc'],
  ])('%j → %s', (group, pkg) => {
    expect(groupPackage(group)).toBe(pkg);
  });
});
