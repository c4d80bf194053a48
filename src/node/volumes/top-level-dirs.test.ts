// TopLevelDirs against a temporary root and registry: made only when missing, shared between
// pods and instances, removed by the last user and only while empty; the node's own never touched.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TopLevelDirs, topLevelNames } from './top-level-dirs.js';

let base: string;
let root: string;
let registry: string;

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'top-level-dirs-'));
  root = path.join(base, 'root');
  registry = path.join(base, 'run', 'mountpoints');
  mkdirSync(root);
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

const dirs = (instance: string) => new TopLevelDirs({ instance, registry, root });

describe('topLevelNames', () => {
  it.each([
    [['/cache'], ['cache']],
    [['/data/x/y', '/data', '//data/z'], ['data']],
    [
      ['/etc/hosts', '/sys/fs/cgroup/cpu'],
      ['etc', 'sys'],
    ],
    [['/', 'relative/path', '/./x', '/../y'], []],
  ])('%j -> %j', (targets, names) => {
    expect(topLevelNames(targets)).toEqual(names);
  });
});

describe('TopLevelDirs', () => {
  it('makes a missing directory 0755 and removes it with its last pod', async () => {
    const a = dirs('aaaaaa');
    expect(await a.ensure('pod-1', ['/cache', '/cache/sub'])).toEqual([path.join(root, 'cache')]);
    await a.ensure('pod-2', ['/cache']);
    expect(statSync(path.join(root, 'cache')).mode & 0o7777).toBe(0o755);
    await a.release('pod-1');
    expect(existsSync(path.join(root, 'cache'))).toBe(true);
    await a.release('pod-2');
    expect(existsSync(path.join(root, 'cache'))).toBe(false);
    expect(existsSync(registry)).toBe(false);
  });

  it("never creates or removes the node's own directories", async () => {
    mkdirSync(path.join(root, 'data'));
    const a = dirs('aaaaaa');
    expect(await a.ensure('pod-1', ['/data/x'])).toEqual([]);
    await a.release('pod-1');
    expect(existsSync(path.join(root, 'data'))).toBe(true);
  });

  it('keeps a directory another instance still uses', async () => {
    const a = dirs('aaaaaa');
    const b = dirs('bbbbbb');
    await a.ensure('pod-1', ['/cache']);
    expect(await b.ensure('pod-9', ['/cache'])).toEqual([path.join(root, 'cache')]);
    await a.release('pod-1');
    expect(existsSync(path.join(root, 'cache'))).toBe(true);
    await b.drop(() => true);
    expect(existsSync(path.join(root, 'cache'))).toBe(false);
  });

  it('leaves a directory that something else wrote into', async () => {
    const a = dirs('aaaaaa');
    await a.ensure('pod-1', ['/cache']);
    writeFileSync(path.join(root, 'cache', 'not-ours'), 'x');
    await a.release('pod-1');
    expect(existsSync(path.join(root, 'cache', 'not-ours'))).toBe(true);
    expect(existsSync(registry)).toBe(false);
  });

  it('drops the markers of pods that are gone (startup reconciliation)', async () => {
    const a = dirs('aaaaaa');
    await a.ensure('live', ['/one']);
    await a.ensure('gone', ['/two']);
    await dirs('aaaaaa').drop((uid) => uid !== 'live');
    expect(existsSync(path.join(root, 'one'))).toBe(true);
    expect(existsSync(path.join(root, 'two'))).toBe(false);
  });
});
