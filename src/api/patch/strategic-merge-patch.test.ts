// Strategic merge patch: upstream's table cases (mergeItem schema) and kubectl's real bodies.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../apis/meta.js';
import { ApiError } from '../../lib/errors.js';
import { SCALAR, UNTYPED, type ListNode, type StructNode, type TypeNode } from './schema.js';
import {
  applyStrategicMergePatch,
  strategicMergePatchWithSchema,
} from './strategic-merge-patch.js';

function list(elem: TypeNode, strategy?: 'merge', mergeKey?: string): ListNode {
  return {
    kind: 'list',
    elem,
    patchStrategy: strategy,
    mergeKey,
    listType: 'atomic',
    keys: [],
    keyDefaults: new Map(),
  };
}

// The shape of upstream's test type MergeItem.
const mergeItem: StructNode = {
  kind: 'struct',
  name: 'mergeItem',
  isAtomic: false,
  patchStrategy: undefined,
  isValueField: () => false,
  field(name: string): TypeNode | undefined {
    switch (name) {
      case 'name':
      case 'value':
      case 'other':
        return SCALAR;
      case 'mergingList':
      case 'mergeItemPtr':
      case 'retainKeysMergingList':
        return list(mergeItem, 'merge', 'name');
      case 'nonMergingList':
        return list(mergeItem);
      case 'mergingIntList':
        return list(SCALAR, 'merge');
      case 'nonMergingIntList':
        return list(SCALAR);
      case 'simpleMap':
        return { kind: 'map', elem: SCALAR, isAtomic: false, patchStrategy: undefined };
      case 'retainKeysMap':
        return mergeItem;
      case 'replacingItem':
        return UNTYPED;
      default:
        return undefined;
    }
  },
};

const y = (s: string): Record<string, unknown> => parse(s) as Record<string, unknown>;

// [description, current, patch, expected], ported from upstream's three-way cases.
const upstreamCases: [string, string, string, string][] = [
  [
    'nested patch merge with empty list',
    'name: hi\nmergingList:\n- name: hello2',
    '$setElementOrder/mergingList:\n- name: hello\n- name: doesntexist\nmergingList:\n- name: hello',
    'name: hi\nmergingList:\n- name: hello\n- name: hello2',
  ],
  [
    'delete items in lists of scalars',
    'mergingIntList: [1, 2, 3, 4]',
    '$setElementOrder/mergingIntList: [1, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]',
    'mergingIntList: [1, 2, 4]',
  ],
  [
    'delete all duplicate items in lists of scalars',
    'mergingIntList: [1, 2, 3, 3, 4]',
    '$setElementOrder/mergingIntList: [1, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]',
    'mergingIntList: [1, 2, 4]',
  ],
  [
    'add an item in a list of primitives and preserve order',
    'mergingIntList: [1, 4, 2]',
    '$setElementOrder/mergingIntList: [3, 1, 2]\nmergingIntList: [3]',
    'mergingIntList: [3, 1, 4, 2]',
  ],
  [
    'add an item in a list and preserve order',
    'mergingList:\n- {name: 1, other: a}\n- {name: 2, value: 2, other: b}',
    '$setElementOrder/mergingList: [{name: 3}, {name: 1}, {name: 2}]\nmergingList:\n- {name: 3, value: 3}',
    'mergingList:\n- {name: 3, value: 3}\n- {name: 1, other: a}\n- {name: 2, value: 2, other: b}',
  ],
  [
    'delete map from merging list',
    'mergingList:\n- {name: 1}\n- {name: 2, other: b}',
    '$setElementOrder/mergingList: [{name: 2}]\nmergingList:\n- {name: 1, $patch: delete}',
    'mergingList:\n- {name: 2, other: b}',
  ],
  [
    'set elements order in a list with server-only items',
    'mergingList:\n- {name: 1, other: a}\n- {name: 3, value: 3}\n- {name: 4, value: 4}\n- {name: 2, value: 2}\n- {name: 9}',
    '$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 3}, {name: 1}]',
    'mergingList:\n- {name: 4, value: 4}\n- {name: 2, value: 2}\n- {name: 3, value: 3}\n- {name: 1, other: a}\n- {name: 9}',
  ],
  [
    'set elements order in a list with server-only items 3',
    'mergingList:\n- {name: 1, other: a}\n- {name: 2, value: 2}\n- {name: 7}\n- {name: 9}\n- {name: 8}\n- {name: 3, value: 3}\n- {name: 4, value: 4}',
    '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]',
    'mergingList:\n- {name: 2, value: 2}\n- {name: 1, other: a}\n- {name: 7}\n- {name: 9}\n- {name: 8}\n- {name: 4, value: 4}\n- {name: 3, value: 3}',
  ],
  [
    'retainKeys map should clear defaulted field',
    'retainKeysMap: {value: foo}',
    'retainKeysMap: {$retainKeys: [other], other: bar}',
    'retainKeysMap: {other: bar}',
  ],
  [
    'delete and reorder in one list, reorder in another',
    'mergingList: [{name: a, value: a}, {name: b, value: b}]\nmergeItemPtr: [{name: c, value: c}, {name: d, value: d}]',
    '$setElementOrder/mergingList: [{name: b}]\n$setElementOrder/mergeItemPtr: [{name: d}, {name: c}]\nmergingList: [{$patch: delete, name: a}]',
    'mergingList: [{name: b, value: b}]\nmergeItemPtr: [{name: d, value: d}, {name: c, value: c}]',
  ],
  [
    '$deleteFromPrimitiveList of an absent item leaves the list alone',
    'mergingIntList: [1, 2]',
    '$deleteFromPrimitiveList/mergingIntList: [3]',
    'mergingIntList: [1, 2]',
  ],
  [
    '$deleteFromPrimitiveList of an absent list adds nothing',
    'foo: [bar]',
    '$deleteFromPrimitiveList/mergingIntList: [3]',
    'foo: [bar]',
  ],
  [
    '$deleteFromPrimitiveList works on a list without merge strategy',
    'nonMergingIntList: [1, 2, 3]',
    '$deleteFromPrimitiveList/nonMergingIntList: [2]',
    'nonMergingIntList: [1, 3]',
  ],
  [
    'a new item is placed before server-only items it does not know',
    'mergingIntList: [1, 2]',
    'mergingIntList: [3]',
    'mergingIntList: [3, 1, 2]',
  ],
  [
    'non-merging lists are replaced',
    'nonMergingList: [{name: 1, value: a}]\nnonMergingIntList: [1, 2]',
    'nonMergingList: [{name: 2}]\nnonMergingIntList: [3]',
    'nonMergingList: [{name: 2}]\nnonMergingIntList: [3]',
  ],
  [
    '$patch: replace in a list replaces it',
    'mergingList: [{name: 1}, {name: 2}]',
    'mergingList: [{name: 3, value: x}, {$patch: replace}]',
    'mergingList: [{name: 3, value: x}]',
  ],
  [
    '$patch: replace in a map replaces the map',
    'simpleMap: {a: "1", b: "2"}',
    'simpleMap: {$patch: replace, c: "3"}',
    'simpleMap: {c: "3"}',
  ],
  [
    '$patch: delete in a map empties it',
    'retainKeysMap: {name: x, value: y}',
    'retainKeysMap: {$patch: delete}',
    'retainKeysMap: {}',
  ],
  [
    'nulls delete fields, also inside merged list items',
    'name: x\nmergingList: [{name: 1, value: a, other: b}]',
    'name: null\nmergingList: [{name: 1, value: null}]',
    'mergingList: [{name: 1, other: b}]',
  ],
  [
    'nulls and directives are dropped from newly added values',
    'name: x',
    'simpleMap: {a: "1", b: null}\nmergingList: [{name: 1, value: null}, {name: 2, $patch: delete}]',
    'name: x\nsimpleMap: {a: "1"}\nmergingList: [{name: 1}]',
  ],
];

describe('strategic merge patch: upstream cases', () => {
  it.each(upstreamCases)('%s', (_name, current, patch, expected) => {
    expect(strategicMergePatchWithSchema(y(current), y(patch), mergeItem)).toEqual(y(expected));
  });
});

// [description, current, patch, status, reason, message]
const errorCases: [string, string, unknown, number, string, string | RegExp][] = [
  [
    'patch list out of $setElementOrder order',
    'mergingList: [{name: 1}, {name: 3}, {name: 2}]',
    y(
      '$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]\nmergingList: [{name: 3, value: 3}, {name: 1, value: 1}]',
    ),
    500,
    '',
    /doesn't match \$setElementOrder list/,
  ],
  [
    'missing merge key',
    'mergingList: [{name: 1, value: a}]',
    y('mergingList: [{value: b}]'),
    500,
    '',
    'map: map[value:b] does not contain declared merge key: name',
  ],
  [
    'bad $deleteFromPrimitiveList key',
    'mergingIntList: [1]',
    { $deleteFromPrimitiveListmergingIntList: [1] },
    400,
    'BadRequest',
    'invalid patch format of primitive list',
  ],
  [
    '$retainKeys that is not a list',
    'retainKeysMap: {name: x}',
    y('retainKeysMap: {$retainKeys: name}'),
    400,
    'BadRequest',
    'invalid patch format of retainKeys',
  ],
  [
    'patch field missing from $retainKeys',
    'retainKeysMap: {name: x}',
    y('retainKeysMap: {$retainKeys: [name], value: y}'),
    400,
    'BadRequest',
    'invalid patch format of retainKeys',
  ],
  [
    'lists of lists',
    'mergingIntList: [[1]]',
    y('mergingIntList: [[2]]'),
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
  ],
  [
    'unknown $patch value in a map',
    'simpleMap: {a: "1"}',
    y('simpleMap: {$patch: merge}'),
    500,
    '',
    'unknown patch type: merge in map: map[$patch:merge]',
  ],
  [
    '$patch: merge in a list',
    'mergingList: [{name: 1}]',
    y('mergingList: [{$patch: merge}]'),
    500,
    '',
    'merging lists cannot yet be specified in the patch',
  ],
  [
    'a patch that is not an object',
    'name: x',
    ['a'],
    400,
    'BadRequest',
    'json: cannot unmarshal array into Go value of type map[string]interface {}',
  ],
];

describe('strategic merge patch: errors', () => {
  it.each(errorCases)('%s', (_name, current, patch, code, reason, message) => {
    let caught: unknown;
    try {
      strategicMergePatchWithSchema(y(current), patch, mergeItem);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const err = caught as ApiError;
    expect([err.code, err.reason]).toEqual([code, reason]);
    if (typeof message === 'string') {
      expect(err.message).toBe(message);
    } else {
      expect(err.message).toMatch(message);
    }
  });
});

const deploymentKind = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(): KubeObject {
  return y(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  finalizers: [a, b]
  annotations: {owner: me}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80, protocol: TCP}]
        env: [{name: FOO, value: "1"}, {name: BAR, value: "2"}]
      - name: sidecar
        image: busybox
      tolerations: [{key: a, operator: Exists}]
`) as KubeObject;
}

function patchDeployment(patch: unknown): KubeObject {
  return applyStrategicMergePatch(deployment(), patch, deploymentKind);
}

describe('strategic merge patch: what kubectl sends', () => {
  it('client-side apply keeps the other container and updates the applied one', () => {
    const patch = JSON.parse(
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\\n"}},"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:1.26","name":"web"}]}}}}',
    ) as unknown;
    const out = patchDeployment(patch);
    const spec = out.spec as { replicas: number; template: { spec: { containers: unknown[] } } };
    expect(spec.replicas).toBe(3);
    expect(out.metadata.annotations).toEqual({
      owner: 'me',
      'kubectl.kubernetes.io/last-applied-configuration': '{}\n',
    });
    expect(spec.template.spec.containers).toEqual([
      {
        name: 'web',
        image: 'nginx:1.26',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'FOO', value: '1' },
          { name: 'BAR', value: '2' },
        ],
      },
      { name: 'sidecar', image: 'busybox' },
    ]);
  });

  it('kubectl set image changes only that container', () => {
    const out = patchDeployment({
      spec: { template: { spec: { containers: [{ image: 'busybox:1.36', name: 'sidecar' }] } } },
    });
    const containers = (out.spec as { template: { spec: { containers: { image: string }[] } } })
      .template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual(['nginx:1.25', 'busybox:1.36']);
  });

  it('kubectl set env FOO- deletes the variable with $patch: delete', () => {
    const out = patchDeployment({
      spec: {
        template: {
          spec: { containers: [{ env: [{ $patch: 'delete', name: 'FOO' }], name: 'web' }] },
        },
      },
    });
    const web = (out.spec as { template: { spec: { containers: { env: unknown }[] } } }).template
      .spec.containers[0];
    expect(web?.env).toEqual([{ name: 'BAR', value: '2' }]);
  });

  it('kubectl rollout restart adds a template annotation', () => {
    const at = '2024-05-01T10:00:00Z';
    const out = patchDeployment({
      spec: {
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } },
      },
    });
    expect((out.spec as { template: { metadata: unknown } }).template.metadata).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': at },
    });
  });

  it('uncordon removes spec.unschedulable with null', () => {
    const node = y(
      'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec: {unschedulable: true, podCIDR: 10.0.0.0/24}',
    );
    const out = applyStrategicMergePatch(
      node as KubeObject,
      { spec: { unschedulable: null } },
      {
        group: '',
        version: 'v1',
        kind: 'Node',
      },
    );
    expect(out.spec).toEqual({ podCIDR: '10.0.0.0/24' });
  });

  it.each([
    ['finalizers merge as a set', { metadata: { finalizers: ['c', 'a'] } }, ['c', 'a', 'b']],
    [
      'finalizers drop through $deleteFromPrimitiveList',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      ['b'],
    ],
  ])('%s', (_name, patch, finalizers) => {
    expect(patchDeployment(patch).metadata.finalizers).toEqual(finalizers);
  });

  it('replaces lists without a merge key (tolerations) and merges ports by containerPort', () => {
    const out = patchDeployment({
      spec: {
        template: {
          spec: {
            tolerations: [{ key: 'b', operator: 'Exists' }],
            containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    });
    const pod = (
      out.spec as { template: { spec: { tolerations: unknown; containers: { ports: unknown }[] } } }
    ).template.spec;
    expect(pod.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(pod.containers[0]?.ports).toEqual([
      { containerPort: 8080 },
      { containerPort: 80, protocol: 'TCP' },
    ]);
  });

  it('retainKeys on the deployment strategy clears rollingUpdate', () => {
    const out = patchDeployment({
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    });
    expect((out.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });

  it('treats unknown kinds as untyped: lists are replaced', () => {
    const cr = y(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {items: [{name: a}], size: 1}',
    );
    const out = applyStrategicMergePatch(
      cr as KubeObject,
      { spec: { items: [{ name: 'b' }] } },
      {
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
      },
    );
    expect(out.spec).toEqual({ items: [{ name: 'b' }], size: 1 });
  });

  it('does not mutate its inputs and keeps __proto__ keys as plain data', () => {
    const target = deployment();
    const before = structuredClone(target);
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":true}}}}') as unknown;
    const out = applyStrategicMergePatch(target, patch, deploymentKind);
    expect(target).toEqual(before);
    expect(Object.getPrototypeOf(out.metadata.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects patches nested deeper than 100 levels with 400', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) {
      deep = { a: deep };
    }
    expect(() => patchDeployment({ metadata: { labels: deep } })).toThrow(
      expect.objectContaining({ code: 400, reason: 'BadRequest' }),
    );
  });
});
