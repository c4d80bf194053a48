// The type walk over client-node models and the hand-written tag tables that decorate it.
import { describe, expect, it } from 'vitest';
import { ATOMIC_STRUCTS, FIELD_TAGS, KEY_DEFAULTS, VALUE_FIELDS } from './field-tags.js';
import { fieldType, modelHasField, schemaForKind, structNode, type TypeNode } from './schema.js';

function walk(root: TypeNode | undefined, ...path: string[]): TypeNode | undefined {
  let node = root;
  for (const step of path) {
    if (!node) {
      return undefined;
    }
    node = step === '[]' ? (node.kind === 'list' ? node.elem : undefined) : fieldType(node, step);
  }
  return node;
}

const deployment = schemaForKind({ group: 'apps', version: 'v1', kind: 'Deployment' });
const podSpec = ['spec', 'template', 'spec'];

describe('schema', () => {
  it.each([
    [['spec', 'replicas'], { kind: 'scalar' }],
    [
      [...podSpec, 'containers'],
      { kind: 'list', mergeKey: 'name', listType: 'map', keys: ['name'] },
    ],
    [
      [...podSpec, 'containers', '[]', 'ports'],
      { kind: 'list', mergeKey: 'containerPort', keys: ['containerPort', 'protocol'] },
    ],
    [
      [...podSpec, 'containers', '[]', 'env'],
      { kind: 'list', mergeKey: 'name', patchStrategy: 'merge' },
    ],
    [[...podSpec, 'containers', '[]', 'volumeMounts'], { kind: 'list', mergeKey: 'mountPath' }],
    [
      [...podSpec, 'containers', '[]', 'args'],
      { kind: 'list', listType: 'atomic', patchStrategy: undefined },
    ],
    [[...podSpec, 'tolerations'], { kind: 'list', listType: 'atomic', mergeKey: undefined }],
    [[...podSpec, 'hostAliases'], { kind: 'list', mergeKey: 'ip' }],
    [['metadata', 'finalizers'], { kind: 'list', patchStrategy: 'merge', listType: 'set' }],
    [['metadata', 'ownerReferences'], { kind: 'list', mergeKey: 'uid', listType: 'map' }],
    [['metadata', 'labels'], { kind: 'map', isAtomic: false }],
    [[...podSpec, 'nodeSelector'], { kind: 'map', isAtomic: true }],
    [['spec', 'selector'], { kind: 'struct', name: 'V1LabelSelector', isAtomic: true }],
    [['status', 'conditions'], { kind: 'list', mergeKey: 'type' }],
  ])('Deployment %j', (path, expected) => {
    expect(walk(deployment, ...path)).toMatchObject(expected);
  });

  it('gives container ports the TCP protocol default as a key default', () => {
    const ports = walk(deployment, ...podSpec, 'containers', '[]', 'ports');
    expect(ports?.kind === 'list' && ports.keyDefaults.get('protocol')).toBe('TCP');
  });

  it.each([
    [{ group: '', version: 'v1', kind: 'Pod' }, 'V1Pod'],
    [{ group: '', version: 'v1', kind: 'Event' }, 'CoreV1Event'],
    [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }, 'EventsV1Event'],
    [
      { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
      'V2HorizontalPodAutoscaler',
    ],
    [{ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' }, 'V1PodDisruptionBudget'],
    [{ group: 'example.com', version: 'v1', kind: 'Deployment' }, undefined],
    [{ group: 'apps', version: 'v1', kind: 'Widget' }, undefined],
  ])('resolves %j to %s', (gvk, name) => {
    expect(schemaForKind(gvk)?.name).toBe(name);
  });

  it('treats root metadata/spec/status and listed fields as Go zero-value fields', () => {
    expect(deployment?.isValueField('spec')).toBe(true);
    expect(structNode('V1DeploymentSpec')?.isValueField('template')).toBe(true);
    expect(structNode('V1DeploymentSpec')?.isValueField('replicas')).toBe(false);
  });

  // The tables are written by hand: every entry must name a real model and field.
  it.each([...FIELD_TAGS.keys(), ...VALUE_FIELDS, ...KEY_DEFAULTS.keys()])('%s exists', (key) => {
    const [model = '', field = ''] = key.split('.');
    expect(modelHasField(model, field)).toBe(true);
  });

  it.each([...ATOMIC_STRUCTS])('atomic struct %s exists', (model) => {
    expect(structNode(model)?.isAtomic).toBe(true);
  });
});
