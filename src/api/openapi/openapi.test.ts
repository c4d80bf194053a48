// Tests: the v3 index and per-group-version documents kubectl reads, and their hashes.
import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../../apis/resource-type.js';
import { createSchemaRegistry } from '../../apis/schema/index.js';
import { createOpenApi } from './openapi.js';

function resource(
  group: string,
  resource: string,
  kind: string,
  opts: { namespaced?: boolean; versions?: string[]; verbs?: string[] } = {},
): ResourceType {
  const versions = opts.versions ?? ['v1'];
  return {
    group,
    resource,
    kind,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: [],
    categories: [],
    versions: versions.map((version) => ({ version })),
    storageVersion: versions[0] ?? 'v1',
    subresources: [],
    hasGeneration: false,
    strategy: {},
    verbs: opts.verbs,
  };
}

const RESOURCES = [
  resource('', 'pods', 'Pod'),
  resource('', 'nodes', 'Node', { namespaced: false }),
  resource('apps', 'deployments', 'Deployment'),
  resource('autoscaling', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    versions: ['v2', 'v1'],
  }),
  resource('metrics.k8s.io', 'pods', 'PodMetrics', {
    versions: ['v1beta1'],
    verbs: ['get', 'list'],
  }),
];
const registry = createSchemaRegistry();
const openApi = createOpenApi(RESOURCES, { serverVersion: 'v1.32.4', registry });

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const doc = (path: string): Doc => JSON.parse(openApi.v3Document(path)?.body ?? 'null') as Doc;

describe('v3Index', () => {
  it('lists every served group-version with a hashed URL', () => {
    const index = openApi.v3Index();
    expect(Object.keys(index.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/autoscaling/v1',
      'apis/autoscaling/v2',
      'apis/metrics.k8s.io/v1beta1',
    ]);
    const hash = openApi.v3Document('apis/apps/v1')?.hash;
    expect(hash).toMatch(/^[0-9A-F]{128}$/);
    expect(index.paths['apis/apps/v1']).toEqual({
      serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${hash}`,
    });
  });

  it('includes group-versions passed in besides the resources', () => {
    const api = createOpenApi(RESOURCES, {
      serverVersion: 'v1.32.4',
      registry,
      groupVersions: [{ group: 'kubeproc.example.com', version: 'v1alpha1' }],
    });
    expect(api.v3Index().paths).toHaveProperty(['apis/kubeproc.example.com/v1alpha1']);
    expect(
      JSON.parse(api.v3Document('apis/kubeproc.example.com/v1alpha1')?.body ?? ''),
    ).toMatchObject({
      paths: {},
    });
  });
});

describe('v3Document', () => {
  it('has the OpenAPI 3 envelope', () => {
    expect(doc('apis/apps/v1')).toMatchObject({
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.4' },
    });
    expect(openApi.v3Document('/apis/apps/v1')).toEqual(openApi.v3Document('apis/apps/v1'));
    expect(openApi.v3Document('apis/apps/v2')).toBeUndefined();
  });

  it('advertises fieldValidation on PATCH with a single GVK object and no requestBody', () => {
    const item =
      doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    const patch = item?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    expect(patch?.parameters).toContainEqual({
      name: 'fieldValidation',
      in: 'query',
      schema: { type: 'string' },
    });
    expect(Object.keys(item ?? {}).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    for (const op of Object.values(doc('apis/apps/v1').paths).flatMap((p) => Object.values(p))) {
      expect(op).not.toHaveProperty('requestBody');
    }
  });

  it('uses the core group and cluster-scoped paths without a namespace', () => {
    const paths = doc('api/v1').paths;
    expect(paths['/api/v1/nodes/{name}']?.patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      kind: 'Node',
      version: 'v1',
    });
    expect(Object.keys(paths)).toEqual([
      '/api/v1/namespaces/{namespace}/pods',
      '/api/v1/namespaces/{namespace}/pods/{name}',
      '/api/v1/nodes',
      '/api/v1/nodes/{name}',
      '/api/v1/pods',
    ]);
  });

  it('serves only the verbs a resource has', () => {
    const paths = doc('apis/metrics.k8s.io/v1beta1').paths;
    expect(
      Object.keys(paths['/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}'] ?? {}),
    ).toEqual(['get', 'parameters']);
  });

  it('carries the kind schemas explain looks up, per version', () => {
    const v1 = doc('apis/autoscaling/v1').components.schemas;
    const v2 = doc('apis/autoscaling/v2').components.schemas;
    expect(
      v1['io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler']?.['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'autoscaling', kind: 'HorizontalPodAutoscaler', version: 'v1' }]);
    expect(v2['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']).toBeDefined();
    expect(v1['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec']).toBeUndefined();
    const list = doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.get;
    expect(list?.responses).toMatchObject({
      '200': {
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentList' },
          },
        },
      },
    });
  });
});

describe('hashes', () => {
  it('are stable for the same content and change with it', () => {
    const again = createOpenApi(RESOURCES, { serverVersion: 'v1.32.4' });
    expect(again.v3Index()).toEqual(openApi.v3Index());
    const newer = createOpenApi(RESOURCES, { serverVersion: 'v1.33.1', registry });
    expect(newer.v3Document('apis/apps/v1')?.hash).not.toBe(
      openApi.v3Document('apis/apps/v1')?.hash,
    );
    const fewer = createOpenApi(RESOURCES.slice(0, 1), { serverVersion: 'v1.32.4', registry });
    expect(fewer.v3Document('api/v1')?.hash).not.toBe(openApi.v3Document('api/v1')?.hash);
  });

  it('match the body', async () => {
    const { createHash } = await import('node:crypto');
    const d = openApi.v3Document('api/v1');
    expect(d?.hash).toBe(
      createHash('sha512')
        .update(d?.body ?? '')
        .digest('hex')
        .toUpperCase(),
    );
  });
});

describe('v2Protobuf', () => {
  it('reports the server version', () => {
    expect(openApi.v2Protobuf().subarray(-7).toString()).toBe('v1.32.4');
  });
});
