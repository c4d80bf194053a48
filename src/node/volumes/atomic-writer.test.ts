// The atomic writer: ..data swaps, user-visible symlinks, modes, stale entries, no-op rewrites.
import { lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validatePayloadPath, writeAtomic, type Payload } from './atomic-writer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-aw-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe('writeAtomic', () => {
  it('writes files behind ..data and top-level symlinks', async () => {
    const payload: Payload = new Map([
      ['a', file('A')],
      ['sub/b', file('B', 0o400)],
    ]);
    expect(await writeAtomic(dir, payload)).toBe(true);
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('A');
    expect(await readFile(path.join(dir, 'sub/b'), 'utf8')).toBe('B');
    expect(await readlink(path.join(dir, 'a'))).toBe('..data/a');
    expect(await readlink(path.join(dir, 'sub'))).toBe('..data/sub');
    expect(await readlink(path.join(dir, '..data'))).toMatch(
      /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./,
    );
    expect((await stat(path.join(dir, 'sub/b'))).mode & 0o777).toBe(0o400);
  });

  it('swaps to a new directory on change and removes stale names and old directories', async () => {
    await writeAtomic(
      dir,
      new Map([
        ['a', file('1')],
        ['old', file('x')],
      ]),
    );
    const first = await readlink(path.join(dir, '..data'));
    expect(await writeAtomic(dir, new Map([['a', file('2')]]))).toBe(true);
    const second = await readlink(path.join(dir, '..data'));
    expect(second).not.toBe(first);
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('2');
    expect((await readdir(dir)).sort()).toEqual(['..data', second, 'a'].sort());
  });

  it('does nothing when the payload is unchanged, but rewrites on a mode change', async () => {
    await writeAtomic(dir, new Map([['a', file('1')]]));
    expect(await writeAtomic(dir, new Map([['a', file('1')]]))).toBe(false);
    expect(await writeAtomic(dir, new Map([['a', file('1', 0o600)]]))).toBe(true);
    expect((await lstat(path.join(dir, 'a'))).isSymbolicLink()).toBe(true);
  });
});

describe('validatePayloadPath', () => {
  it.each(['/abs', '../x', 'a/../b', '..hidden'])('rejects %s', (p) => {
    expect(() => validatePayloadPath(p)).toThrow();
  });
  it.each(['a', 'a/b', 'a..b', '.x'])('accepts %s', (p) => {
    expect(() => validatePayloadPath(p)).not.toThrow();
  });
});
