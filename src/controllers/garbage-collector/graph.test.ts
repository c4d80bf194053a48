// The dependency graph's pure parts: reference diffs, coordinates, node flags and the index.
import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import type { ServerResource } from '../../client/client.js';
import type { ReferencesDiff } from './graph.js';
import { DependencyGraph, matchesCoordinates, nodeFor, referencesDiff } from './graph.js';

const CONFIGMAPS: ServerResource = {
  ref: { group: '', version: 'v1', resource: 'configmaps' },
  kind: 'ConfigMap',
  namespaced: true,
  verbs: ['delete', 'list', 'watch'],
};

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: uid,
  uid,
  ...extra,
});

const object = (uid: string, owners: OwnerReference[] = [], extra = {}): KubeObject => ({
  metadata: { name: uid, namespace: 'default', uid, ownerReferences: owners, ...extra },
});

const node = (uid: string, owners: OwnerReference[] = [], extra = {}) =>
  nodeFor(CONFIGMAPS, object(uid, owners, extra));

describe('referencesDiff', () => {
  const blocking = ref('a', { blockOwnerDeletion: true });
  it.each<[string, OwnerReference[], OwnerReference[], ReferencesDiff]>([
    ['nothing', [], [], { added: [], removed: [], changed: [] }],
    [
      'an addition',
      [ref('a')],
      [ref('a'), ref('b')],
      { added: [ref('b')], removed: [], changed: [] },
    ],
    [
      'a removal',
      [ref('a'), ref('b')],
      [ref('b')],
      { added: [], removed: [ref('a')], changed: [] },
    ],
    [
      'a change of blockOwnerDeletion',
      [blocking],
      [ref('a')],
      { added: [], removed: [], changed: [{ oldRef: blocking, newRef: ref('a') }] },
    ],
    [
      'an unset flag equal to false',
      [ref('a')],
      [ref('a', { controller: false })],
      { added: [], removed: [], changed: [] },
    ],
    [
      'a reorder',
      [ref('a'), ref('b')],
      [ref('b'), ref('a')],
      { added: [], removed: [], changed: [] },
    ],
  ])('finds %s', (_, before, after, want) => {
    expect(referencesDiff(before, after)).toEqual(want);
  });
});

describe('matchesCoordinates', () => {
  const owner = {
    uid: 'u',
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    name: 'h',
    namespace: 'default',
  };
  const base = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    name: 'h',
    uid: 'u',
  };
  it.each<[string, OwnerReference, boolean]>([
    ['the same coordinates', base, true],
    ['another version of the group', { ...base, apiVersion: 'autoscaling/v1' }, true],
    ['another group', { ...base, apiVersion: 'example.com/v2' }, false],
    ['another kind', { ...base, kind: 'Deployment' }, false],
    ['another name', { ...base, name: 'other' }, false],
    ['another uid', { ...base, uid: 'x' }, false],
  ])('%s: %s', (_, r, want) => {
    expect(matchesCoordinates(r, owner)).toBe(want);
  });
});

describe('nodeFor', () => {
  const deleting = { deletionTimestamp: '2026-01-01T00:00:00Z' };
  it.each([
    ['alive', {}, [false, false, false]],
    ['a finalizer without deletion', { finalizers: ['foregroundDeletion'] }, [false, false, false]],
    ['being deleted', deleting, [true, false, false]],
    [
      'deleting dependents',
      { ...deleting, finalizers: ['foregroundDeletion'] },
      [true, true, false],
    ],
    ['orphaning dependents', { ...deleting, finalizers: ['orphan'] }, [true, false, true]],
  ])('%s', (_, meta, [beingDeleted, deletingDependents, orphaning]) => {
    const n = node('x', [], meta);
    expect([n.isBeingDeleted, n.isDeletingDependents, n.isOrphaningDependents]).toEqual([
      beingDeleted,
      deletingDependents,
      orphaning,
    ]);
    expect(n.identity).toEqual({
      uid: 'x',
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'x',
      namespace: 'default',
    });
  });
});

describe('DependencyGraph', () => {
  const uids = (nodes: { identity: { uid: string } }[]) => nodes.map((n) => n.identity.uid).sort();

  it('indexes dependents before their owner is observed, and after it is removed', () => {
    const g = new DependencyGraph();
    g.set(node('dep', [ref('owner')]));
    expect(g.get('owner')).toBeUndefined();
    expect(uids(g.dependentsOf('owner'))).toEqual(['dep']);
    g.set(node('owner'));
    g.remove('owner');
    expect(uids(g.dependentsOf('owner'))).toEqual(['dep']);
    expect(g.size).toBe(1);
  });

  it('follows owner changes and removals of dependents', () => {
    const g = new DependencyGraph();
    g.set(node('dep', [ref('a'), ref('b')]));
    const diff = g.set(node('dep', [ref('b'), ref('c')]));
    expect(diff.added).toEqual([ref('c')]);
    expect(diff.removed).toEqual([ref('a')]);
    expect(uids(g.dependentsOf('a'))).toEqual([]);
    expect(uids(g.dependentsOf('c'))).toEqual(['dep']);
    expect(g.remove('dep')?.identity.uid).toBe('dep');
    expect(uids(g.dependentsOf('b'))).toEqual([]);
    expect(g.remove('dep')).toBeUndefined();
  });

  it('counts only blockOwnerDeletion=true references as blocking', () => {
    const g = new DependencyGraph();
    g.set(node('blocks', [ref('owner', { blockOwnerDeletion: true })]));
    g.set(node('unset', [ref('owner')]));
    g.set(node('false', [ref('owner', { blockOwnerDeletion: false })]));
    g.set(node('other', [ref('owner'), ref('x', { blockOwnerDeletion: true })]));
    expect(uids(g.blockingDependentsOf('owner'))).toEqual(['blocks']);
    expect(uids(g.dependentsOf('owner'))).toEqual(['blocks', 'false', 'other', 'unset']);
  });
});
