import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './index.js';
import { storeContract } from './store.contract.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kubeproc-store-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

storeContract('sqlite', () => openSqliteStore(tempDir()));
// A tiny window forces watch resume to read history from SQLite instead of memory.
storeContract('sqlite, history from disk', () => openSqliteStore(tempDir(), { windowSize: 1 }));

describe('sqlite store across restarts', () => {
  it('reopens with the same objects, revisions and resumable history', () => {
    const dir = tempDir();
    const s1 = openSqliteStore(dir);
    const a = s1.create('/k/a', { metadata: { name: 'a', uid: 'u1' } });
    s1.update('/k/a', { metadata: { name: 'a', uid: 'u1' }, data: { x: '1' } });
    s1.create('/k/b', { metadata: { name: 'b' } });
    s1.delete('/k/b');
    s1.close();

    const s2 = openSqliteStore(dir);
    expect(s2.revision).toBe(4);
    expect(s2.get('/k/a')?.object).toMatchObject({ metadata: { uid: 'u1', resourceVersion: '2' } });
    expect(s2.get('/k/b')).toBeUndefined();
    const seen: string[] = [];
    s2.watch('/k/', Number(a.metadata.resourceVersion), (e) =>
      seen.push(`${e.type}:${e.key}`),
    ).cancel();
    expect(seen).toEqual(['MODIFIED:/k/a', 'ADDED:/k/b', 'DELETED:/k/b']);
    const next = s2.create('/k/c', { metadata: { name: 'c' } });
    expect(next.metadata.resourceVersion).toBe('5');
    s2.close();
  });

  it('keeps the revision after compacting everything and deleting the newest key', () => {
    const dir = tempDir();
    const s1 = openSqliteStore(dir);
    s1.create('/k/a', { metadata: { name: 'a' } });
    s1.delete('/k/a');
    s1.compact(2);
    s1.close();
    const s2 = openSqliteStore(dir);
    expect(s2.revision).toBe(2);
    expect(s2.compactedRevision).toBe(2);
    s2.close();
  });
});
