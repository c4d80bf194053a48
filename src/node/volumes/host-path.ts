// hostPath volumes: the kubelet's type checks (and the *OrCreate creations) with its messages.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { VolumeSetUpError } from './errors.js';

const PREFIX = 'hostPath type check failed:';

async function statOf(p: string): Promise<Stats | undefined> {
  return stat(p).catch(() => undefined);
}

const CHECKS: Record<string, [(s: Stats) => boolean, string]> = {
  Directory: [(s) => s.isDirectory(), 'is not a directory'],
  File: [(s) => !s.isDirectory(), 'is not a file'],
  Socket: [(s) => s.isSocket(), 'is not a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'is not a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'is not a block device'],
};

/** Checks (or creates) `path` as `type` says; throws VolumeSetUpError with upstream's message. */
export async function checkHostPath(path: string, type: string | undefined): Promise<void> {
  if (!type) {
    return;
  }
  if (type === 'DirectoryOrCreate') {
    if (!(await statOf(path))) {
      await mkdir(path, { recursive: true, mode: 0o755 }).catch((err: Error) => {
        throw new VolumeSetUpError(err.message);
      });
    }
    return checkHostPath(path, 'Directory');
  }
  if (type === 'FileOrCreate') {
    if (!(await statOf(path))) {
      const file = await open(path, 'a', 0o644).catch((err: Error) => {
        throw new VolumeSetUpError(err.message);
      });
      await file.close();
    }
    return checkHostPath(path, 'File');
  }
  const check = CHECKS[type];
  if (!check) {
    throw new VolumeSetUpError(`${type} is an invalid volume type`);
  }
  const s = await statOf(path);
  if (!s || !check[0](s)) {
    throw new VolumeSetUpError(`${PREFIX} ${path} ${check[1]}`);
  }
}
