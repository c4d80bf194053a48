// hostPath type checks and creations, with the kubelet's messages.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHostPath } from './host-path.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kubeproc-hp-'));
  await writeFile(path.join(dir, 'file'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkHostPath', () => {
  it.each([
    ['dir', 'Directory', undefined],
    ['file', 'Directory', 'is not a directory'],
    ['missing', 'Directory', 'is not a directory'],
    ['file', 'File', undefined],
    ['dir', 'File', 'is not a file'],
    ['file', 'Socket', 'is not a socket file'],
    ['file', 'CharDevice', 'is not a character device'],
    ['file', 'BlockDevice', 'is not a block device'],
    ['missing', '', undefined],
  ])('%s as %s', async (name, type, error) => {
    const p = name === 'dir' ? dir : path.join(dir, name);
    const check = checkHostPath(p, type);
    if (error === undefined) {
      await expect(check).resolves.toBeUndefined();
    } else {
      await expect(check).rejects.toThrow(`hostPath type check failed: ${p} ${error}`);
    }
  });

  it('accepts /dev/null as a CharDevice', async () => {
    await expect(checkHostPath('/dev/null', 'CharDevice')).resolves.toBeUndefined();
  });

  it('creates DirectoryOrCreate and FileOrCreate paths', async () => {
    await checkHostPath(path.join(dir, 'new/deep'), 'DirectoryOrCreate');
    expect((await stat(path.join(dir, 'new/deep'))).isDirectory()).toBe(true);
    await checkHostPath(path.join(dir, 'newfile'), 'FileOrCreate');
    expect((await stat(path.join(dir, 'newfile'))).isFile()).toBe(true);
    await expect(checkHostPath(path.join(dir, 'file'), 'DirectoryOrCreate')).rejects.toThrow(
      'is not a directory',
    );
  });

  it('rejects an unknown type', async () => {
    await expect(checkHostPath(dir, 'Bogus')).rejects.toThrow('Bogus is an invalid volume type');
  });
});
