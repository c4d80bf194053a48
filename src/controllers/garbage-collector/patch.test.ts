// The collector's patches and its cache of absent owners.
import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../apis/meta.js';
import { AbsentOwnerCache, absentKey } from './absent-owner-cache.js';
import { ownerReferencesPatch, removeFinalizerPatch, unblocked, withoutOwners } from './patch.js';

const ref = (uid: string, blockOwnerDeletion?: boolean): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: uid,
  uid,
  ...(blockOwnerDeletion === undefined ? {} : { blockOwnerDeletion }),
});

const obj = (finalizers?: string[]): KubeObject => ({
  metadata: { name: 'x', resourceVersion: '42', ...(finalizers ? { finalizers } : {}) },
});

describe('withoutOwners', () => {
  it.each<[string, OwnerReference[], string[], OwnerReference[] | undefined]>([
    ['one of two', [ref('a'), ref('b')], ['a'], [ref('b')]],
    ['the last', [ref('a')], ['a'], []],
    ['none named', [ref('a')], ['z'], undefined],
    ['several', [ref('a'), ref('b'), ref('c')], ['a', 'c'], [ref('b')]],
  ])('removes %s', (_, refs, uids, want) => {
    expect(withoutOwners(refs, new Set(uids))).toEqual(want);
  });
});

describe('unblocked', () => {
  it.each<[string, OwnerReference[], OwnerReference[] | undefined]>([
    ['blocking refs', [ref('a', true), ref('b')], [ref('a', false), ref('b')]],
    ['nothing when none blocks', [ref('a', false), ref('b')], undefined],
  ])('turns off %s', (_, refs, want) => {
    expect(unblocked(refs)).toEqual(want);
  });
});

describe('patches', () => {
  it('guards ownerReferences with the resourceVersion and clears an empty list', () => {
    expect(ownerReferencesPatch(obj(), [ref('a')])).toEqual({
      metadata: { resourceVersion: '42', ownerReferences: [ref('a')] },
    });
    expect(ownerReferencesPatch(obj(), [])).toEqual({
      metadata: { resourceVersion: '42', ownerReferences: null },
    });
  });

  it.each<[string, string[] | undefined, unknown]>([
    ['keeps other finalizers', ['orphan', 'example.com/x'], ['example.com/x']],
    ['clears the last one', ['orphan'], null],
  ])('removeFinalizerPatch %s', (_, finalizers, want) => {
    expect(removeFinalizerPatch(obj(finalizers), 'orphan')).toEqual({
      metadata: { resourceVersion: '42', finalizers: want },
    });
  });

  it('removeFinalizerPatch has nothing to do when the finalizer is absent', () => {
    expect(removeFinalizerPatch(obj(['example.com/x']), 'orphan')).toBeUndefined();
    expect(removeFinalizerPatch(obj(), 'orphan')).toBeUndefined();
  });
});

describe('AbsentOwnerCache', () => {
  it('keys by namespace and forgets the least recently used entry', () => {
    const cache = new AbsentOwnerCache(2);
    const a = absentKey(ref('a'), 'ns1');
    cache.add(a);
    expect(cache.has(absentKey(ref('a'), 'ns2'))).toBe(false);
    cache.add(absentKey(ref('b'), 'ns1'));
    expect(cache.has(a)).toBe(true); // a is now the most recently used
    cache.add(absentKey(ref('c'), 'ns1'));
    expect(cache.has(absentKey(ref('b'), 'ns1'))).toBe(false);
    expect(cache.has(a)).toBe(true);
  });
});
