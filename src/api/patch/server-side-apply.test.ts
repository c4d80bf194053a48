// Server-side apply: create, re-apply, pruning, conflicts, force and kubectl's upgrade path.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, ManagedFieldsEntry } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { updateManagedFields } from './managed-fields.js';
import {
  LAST_APPLIED_ANNOTATION,
  serverSideApply,
  type ServerSideApplyOptions,
} from './server-side-apply.js';

const T1 = '2024-01-01T00:00:00Z';
const T2 = '2024-01-02T00:00:00Z';
const T3 = '2024-01-03T00:00:00Z';
const deploymentKind = { group: 'apps', version: 'v1', kind: 'Deployment' };

const y = (s: string): KubeObject => parse(s) as KubeObject;

interface DeploymentView {
  spec: {
    replicas?: number;
    template: { spec: { containers: { name: string; image?: string; env?: unknown }[] } };
  };
}
const view = (o: KubeObject): DeploymentView => o as unknown as DeploymentView;

function config(extra = ''): KubeObject {
  return y(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.26
        ports: [{containerPort: 80}]
${extra}`);
}

function apply(
  current: KubeObject | undefined,
  applied: KubeObject,
  more: Partial<ServerSideApplyOptions> = {},
): KubeObject {
  return serverSideApply({
    current,
    applied,
    manager: 'kubectl',
    force: false,
    apiVersion: 'apps/v1',
    now: T2,
    kind: deploymentKind,
    ...more,
  });
}

function entry(obj: KubeObject, manager: string): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find((e) => e.manager === manager);
}

function caught(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('serverSideApply', () => {
  const created = apply(undefined, config(), { now: T1 });

  it('creates the object and records an Apply entry without "." on struct fields', () => {
    expect(created.spec).toEqual(config().spec);
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    expect(apply(created, config(), { now: T3 })).toEqual(created);
  });

  it('removes fields the manager stops applying', () => {
    const withEnv = apply(
      created,
      config('        env: [{name: A, value: "1"}, {name: B, value: "2"}]'),
    );
    const withoutA = apply(withEnv, config('        env: [{name: B, value: "2"}]'), { now: T3 });
    const web = view(withoutA).spec.template.spec.containers[0];
    expect(web?.env).toEqual([{ name: 'B', value: '2' }]);
    const noReplicas = config();
    delete view(noReplicas).spec.replicas;
    expect(view(apply(created, noReplicas)).spec.replicas).toBeUndefined();
  });

  it('keeps a field it stops applying while another manager also owns it', () => {
    const other = serverSideApply({
      current: created,
      applied: y(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}',
      ),
      manager: 'other',
      force: false,
      apiVersion: 'apps/v1',
      now: T2,
      kind: deploymentKind,
    });
    const noLabels = config();
    delete noLabels.metadata.labels;
    expect(apply(other, noLabels).metadata.labels).toEqual({ app: 'web' });
  });

  it('adds a keyed item next to the existing ones', () => {
    const two = apply(created, config('      - {name: sidecar, image: busybox}'));
    expect(view(two).spec.template.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar']);
  });

  // An object created and scaled by client-side apply.
  const byCsa = updateManagedFields({
    old: undefined,
    updated: config(),
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'apps/v1',
    now: T1,
  });
  const scaledConfig = (): KubeObject => {
    const c = config();
    view(c).spec.replicas = 5;
    return c;
  };

  it('reports a conflict with the manager that owns a changed field, as Kubernetes words it', () => {
    const err = caught(() => apply(byCsa, scaledConfig(), { manager: 'my-manager' }));
    expect({
      code: err.code,
      reason: err.reason,
      message: err.message,
      details: err.details,
    }).toEqual({
      code: 409,
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
  });

  it('lists several conflicts grouped by manager', () => {
    const c = scaledConfig();
    view(c).spec.template.spec.containers[0]!.image = 'nginx:2';
    const err = caught(() => apply(byCsa, c, { manager: 'my-manager' }));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="web"].image',
    ]);
  });

  it('names an Apply manager without a version', () => {
    const err = caught(() => apply(created, scaledConfig(), { manager: 'other' }));
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    );
  });

  it('with force takes the field over', () => {
    const forced = apply(byCsa, scaledConfig(), { manager: 'my-manager', force: true });
    expect(view(forced).spec.replicas).toBe(5);
    expect(entry(forced, 'kubectl-client-side-apply')?.fieldsV1).not.toHaveProperty([
      'f:spec',
      'f:replicas',
    ]);
    expect(entry(forced, 'my-manager')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
  });

  it('does not conflict when the applied value equals the current one (shared ownership)', () => {
    const shared = apply(byCsa, config(), { manager: 'my-manager' });
    expect(entry(shared, 'kubectl-client-side-apply')?.fieldsV1).toHaveProperty([
      'f:spec',
      'f:replicas',
    ]);
    expect(entry(shared, 'my-manager')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
  });

  it('lets kubectl take over fields that still match its last-applied annotation', () => {
    const lastApplied = JSON.stringify(config());
    const csa = structuredClone(byCsa);
    csa.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: lastApplied };
    const c = config();
    view(c).spec.template.spec.containers[0]!.image = 'nginx:2';
    const upgraded = apply(csa, c);
    expect(view(upgraded).spec.template.spec.containers[0]?.image).toBe('nginx:2');
    expect(
      upgraded.metadata.annotations?.[LAST_APPLIED_ANNOTATION]?.endsWith(
        '"image":"nginx:2","name":"web","ports":[{"containerPort":80}]}]}}}}\n',
      ),
    ).toBe(true);
    // A field changed since the last client-side apply still conflicts.
    const drifted = structuredClone(csa);
    view(drifted).spec.replicas = 7;
    expect(caught(() => apply(drifted, c)).message).toContain('.spec.replicas');
  });

  it('owns set items as values and finalizers merge as a set', () => {
    const withFinalizer = config();
    withFinalizer.metadata.finalizers = ['example.com/x'];
    const out = apply(created, withFinalizer);
    expect(entry(out, 'kubectl')?.fieldsV1).toHaveProperty([
      'f:metadata',
      'f:finalizers',
      'v:"example.com/x"',
    ]);
  });

  it('treats custom resources as untyped: maps granular with ".", lists atomic', () => {
    const cr = y(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1, tags: [a], nested: {x: 1}}',
    );
    const out = serverSideApply({
      current: undefined,
      applied: cr,
      manager: 'm',
      force: false,
      apiVersion: 'example.com/v1',
      now: T1,
      kind: { group: 'example.com', version: 'v1', kind: 'Widget' },
    });
    expect(out.metadata.managedFields?.[0]?.fieldsV1).toEqual({
      'f:spec': { '.': {}, 'f:nested': { '.': {}, 'f:x': {} }, 'f:size': {}, 'f:tags': {} },
    });
  });

  it('does not mutate its inputs', () => {
    const current = structuredClone(byCsa);
    const applied = scaledConfig();
    const before = [structuredClone(current), structuredClone(applied)];
    apply(current, applied, { force: true });
    expect([current, applied]).toEqual(before);
  });
});

describe('serverSideApply: rejected requests', () => {
  it.each<[string, KubeObject, Partial<ServerSideApplyOptions>, number, string]>([
    [
      'another kind',
      y('apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}'),
      {},
      400,
      'invalid object type: apps/v1, Kind=ReplicaSet',
    ],
    [
      'no apiVersion',
      y('kind: Deployment\nmetadata: {name: web}'),
      {},
      400,
      'invalid object type: /, Kind=Deployment',
    ],
    [
      'managedFields set',
      y('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, managedFields: []}'),
      {},
      400,
      'metadata.managedFields must be nil',
    ],
    [
      'no field manager',
      config(),
      { manager: '' },
      422,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    ],
    [
      'an undeclared field',
      y(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web, imagee: x}]}}}',
      ),
      {},
      500,
      'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers[name="web"].imagee: field not declared in schema',
    ],
    [
      'duplicate keys',
      y(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: web}, {name: web}]}}}',
      ),
      {},
      500,
      'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="web"]',
    ],
  ])('%s', (_name, applied, more, code, message) => {
    const err = caught(() => apply(undefined, applied, more));
    expect({ code: err.code, message: err.message }).toEqual({ code, message });
  });

  it('rejects deep nesting with 400', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) {
      deep = { a: deep };
    }
    const applied = config();
    applied.metadata.annotations = deep as Record<string, string>;
    expect(caught(() => apply(undefined, applied)).code).toBe(400);
  });
});
