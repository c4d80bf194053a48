// The contract every Store implementation must pass (apiserver's storage/testing/store_tests.go
// idea): run it against each implementation from its own test file.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apis/meta.js';
import type { Store, StoreEvent } from './store.js';
import { StoreError } from './store.js';

const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  ...extra,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof StoreError ? e.code : 'other';
  }
  return undefined;
};

/** Runs the Store contract against stores made by open(). */
export function storeContract(name: string, open: () => Store): void {
  describe(`Store contract: ${name}`, () => {
    it('assigns one increasing revision across keys and sets resourceVersion', () => {
      const s = open();
      const a = s.create('/core/configmaps/default/a', obj('a'));
      const b = s.create('/core/configmaps/default/b', obj('b'));
      expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
      expect(s.revision).toBe(Number(b.metadata.resourceVersion));
      expect(s.get('/core/configmaps/default/a')?.revision).toBe(
        Number(a.metadata.resourceVersion),
      );
      s.close();
    });

    it('refuses duplicate creates, stale updates and missing keys', () => {
      const s = open();
      const a = s.create('/k/a', obj('a'));
      expect(codeOf(() => s.create('/k/a', obj('a')))).toBe('AlreadyExists');
      const rv = Number(a.metadata.resourceVersion);
      s.update('/k/a', obj('a', { data: { x: '1' } }), rv);
      expect(codeOf(() => s.update('/k/a', obj('a'), rv))).toBe('Conflict');
      expect(codeOf(() => s.update('/k/missing', obj('m')))).toBe('NotFound');
      expect(codeOf(() => s.delete('/k/missing'))).toBe('NotFound');
      expect(codeOf(() => s.delete('/k/a', rv))).toBe('Conflict');
      expect(s.get('/k/a')?.object.data).toEqual({ x: '1' });
      s.close();
    });

    it('lists by prefix sorted by key', () => {
      const s = open();
      for (const n of ['c', 'a', 'b']) {
        s.create(`/core/configmaps/ns1/${n}`, obj(n));
      }
      s.create('/core/configmaps/ns2/z', obj('z'));
      s.create('/core/configmapsx/ns1/q', obj('q'));
      const names = s.list('/core/configmaps/ns1/').items.map((e) => e.object.metadata.name);
      expect(names).toEqual(['a', 'b', 'c']);
      expect(s.list('/core/configmaps/').items).toHaveLength(4);
      expect(s.count('/core/configmaps/')).toBe(4);
      s.close();
    });

    it('replays history after a revision, then streams live events in order', () => {
      const s = open();
      const first = s.create('/k/a', obj('a'));
      s.update('/k/a', obj('a', { data: { v: '2' } }));
      s.create('/other/x', obj('x'));
      const seen: StoreEvent[] = [];
      const w = s.watch('/k/', Number(first.metadata.resourceVersion), (e) => seen.push(e));
      s.create('/k/b', obj('b'));
      s.delete('/k/a');
      w.cancel();
      s.create('/k/c', obj('c'));
      expect(seen.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['MODIFIED', 'a'],
        ['ADDED', 'b'],
        ['DELETED', 'a'],
      ]);
      const revs = seen.map((e) => e.revision);
      expect([...revs].sort((x, y) => x - y)).toEqual(revs);
      expect(seen[2]?.object.metadata.resourceVersion).toBe(String(seen[2]?.revision));
      expect(seen[0]?.prevObject?.data).toBeUndefined();
      s.close();
    });

    it('answers Gone for revisions older than the compaction point', () => {
      const s = open();
      for (let i = 0; i < 5; i++) {
        s.create(`/k/${i}`, obj(`n${i}`));
      }
      s.compact(3);
      expect(s.compactedRevision).toBe(3);
      expect(codeOf(() => s.watch('/k/', 1, () => {}))).toBe('Gone');
      const seen: number[] = [];
      s.watch('/k/', 3, (e) => seen.push(e.revision)).cancel();
      expect(seen).toEqual([4, 5]);
      s.close();
    });

    it('never lets callers change stored state by mutating their input', () => {
      const s = open();
      const input = obj('a', { data: { k: 'v' } });
      s.create('/k/a', input);
      input.metadata.name = 'changed';
      expect(s.get('/k/a')?.object.metadata.name).toBe('a');
      s.close();
    });
  });
}
