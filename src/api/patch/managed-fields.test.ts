// managedFields bookkeeping for create/update/patch.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, ManagedFieldsEntry } from '../../apis/meta.js';
import { decodeManagedFields, encodeManagedFields } from './managed-fields-codec.js';
import { updateManagedFields } from './managed-fields.js';

const T1 = '2024-01-01T00:00:00Z';
const T2 = '2024-01-02T00:00:00Z';

function deployment(): KubeObject {
  return parse(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, uid: u1, resourceVersion: "5", generation: 1, creationTimestamp: "${T1}", labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx, env: [{name: A, value: "1"}]}
status: {replicas: 2}
`) as KubeObject;
}

function write(
  old: KubeObject | undefined,
  updated: KubeObject,
  manager: string,
  extra: { now?: string; subresource?: string } = {},
): KubeObject {
  const { now = T2, subresource } = extra;
  return updateManagedFields({
    old,
    updated,
    manager,
    operation: 'Update',
    apiVersion: 'apps/v1',
    now,
    subresource,
  });
}

function entry(obj: KubeObject, manager: string): ManagedFieldsEntry | undefined {
  return obj.metadata.managedFields?.find((e) => e.manager === manager);
}

interface DeploymentView {
  metadata: { labels?: unknown; managedFields?: unknown[] };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status: { replicas: number };
}

function edit(obj: KubeObject, change: (o: DeploymentView) => void): KubeObject {
  const copy = structuredClone(obj);
  change(copy as unknown as DeploymentView);
  return copy;
}

describe('updateManagedFields', () => {
  const created = write(undefined, deployment(), 'kubectl-create', { now: T1 });

  it('gives the creator every field except status and server-set metadata', () => {
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:env': {
                      '.': {},
                      'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                    },
                    'f:image': {},
                    'f:name': {},
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('moves a changed field to the writer and keeps the rest with the creator', () => {
    const scaled = write(
      created,
      edit(created, (o) => (o.spec.replicas = 5)),
      'kubectl-edit',
    );
    expect(entry(scaled, 'kubectl-edit')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entry(scaled, 'kubectl-create')?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
    expect(scaled.metadata.managedFields?.map((e) => e.manager)).toEqual([
      'kubectl-create',
      'kubectl-edit',
    ]);
  });

  it('drops removed fields from their owner without giving them to the writer', () => {
    const unlabeled = write(
      created,
      edit(created, (o) => delete o.metadata.labels),
      'kubectl-label',
    );
    expect(entry(unlabeled, 'kubectl-create')?.fieldsV1).not.toHaveProperty('f:metadata');
    expect(entry(unlabeled, 'kubectl-label')).toBeUndefined();
  });

  it('drops a manager whose last field was taken', () => {
    const scaled = write(
      created,
      edit(created, (o) => (o.spec.replicas = 5)),
      'kubectl-edit',
    );
    const again = write(
      scaled,
      edit(scaled, (o) => (o.spec.replicas = 6)),
      'hpa',
    );
    expect(entry(again, 'kubectl-edit')).toBeUndefined();
    expect(entry(again, 'hpa')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('leaves managedFields alone for a no-op write', () => {
    expect(write(created, structuredClone(created), 'other').metadata.managedFields).toEqual(
      created.metadata.managedFields,
    );
  });

  it('unions a manager with its earlier fields and refreshes the time', () => {
    const once = write(
      created,
      edit(created, (o) => (o.spec.replicas = 5)),
      'editor',
    );
    const twice = write(
      once,
      edit(once, (o) => (o.spec.template.spec.containers[0]!.image = 'nginx:2')),
      'editor',
      { now: '2024-01-03T00:00:00Z' },
    );
    expect(entry(twice, 'editor')).toMatchObject({
      time: '2024-01-03T00:00:00Z',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
        },
      },
    });
  });

  it('ignores status on the main resource and tracks only status on /status', () => {
    const viaMain = write(
      created,
      edit(created, (o) => (o.status.replicas = 3)),
      'controller',
    );
    expect(entry(viaMain, 'controller')).toBeUndefined();
    const viaStatus = write(
      created,
      edit(created, (o) => (o.status.replicas = 3)),
      'controller',
      { subresource: 'status' },
    );
    expect(entry(viaStatus, 'controller')).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
    });
  });

  it('resets managedFields when the writer sends an empty list', () => {
    const reset = write(
      created,
      edit(created, (o) => (o.metadata.managedFields = [])),
      'admin',
    );
    expect(reset.metadata.managedFields).toBeUndefined();
  });

  it('does not mutate its inputs', () => {
    const before = structuredClone(created);
    write(
      created,
      edit(created, (o) => (o.spec.replicas = 9)),
      'x',
    );
    expect(created).toEqual(before);
  });
});

describe('decode/encode', () => {
  it.each([
    [
      [{ manager: 'a', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' }],
      'operation must be `Apply` or `Update`',
    ],
    [
      [{ manager: 'a', operation: 'Update', fieldsType: 'FieldsV1' }],
      'apiVersion must not be empty',
    ],
    [
      [{ manager: 'a', operation: 'Update', apiVersion: 'v1' }],
      'missing fieldsType in managed fields entry 0',
    ],
    [
      [{ manager: 'a', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV2' }],
      'invalid fieldsType "FieldsV2" in managed fields entry 0',
    ],
  ])('rejects %j', (entries, message) => {
    expect(() => decodeManagedFields(entries)).toThrow(message);
  });

  it('sorts Apply before Update, then by time and manager', () => {
    const entries = [
      {
        manager: 'b',
        operation: 'Update',
        apiVersion: 'v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:a': {} },
      },
      {
        manager: 'a',
        operation: 'Update',
        apiVersion: 'v1',
        time: T2,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:b': {} },
      },
      {
        manager: 'z',
        operation: 'Apply',
        apiVersion: 'v1',
        time: T2,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:c': {} },
      },
      {
        manager: 'c',
        operation: 'Update',
        apiVersion: 'v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
    ];
    expect(encodeManagedFields(decodeManagedFields(entries))?.map((e) => e.manager)).toEqual([
      'z',
      'b',
      'a',
    ]);
  });
});
