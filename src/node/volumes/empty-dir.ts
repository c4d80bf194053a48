// emptyDir volumes: a directory on the node's disk, or a tmpfs (medium: Memory) sized like the
// kubelet sizes it; and the node's mount table, to mount and unmount those tmpfs idempotently.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Pod } from '../../apis/core/v1/types.js';
import { parseQuantity } from '../../lib/quantity.js';
import { VolumeSetUpError } from './errors.js';

const run = promisify(execFile);

export interface EmptyDirSource {
  medium?: string;
  sizeLimit?: string | number;
}

/**
 * The tmpfs size of a memory emptyDir in bytes: sizeLimit, else the pod's memory limit (the sum
 * of its containers' limits when all of them have one), else undefined (tmpfs' default).
 */
export function memoryVolumeSize(source: EmptyDirSource, pod: Pod): number | undefined {
  if (source.sizeLimit !== undefined) {
    const q = parseQuantity(String(source.sizeLimit));
    if (!q.isZero()) {
      return q.value();
    }
  }
  const containers = pod.spec?.containers ?? [];
  let total = 0;
  for (const c of containers) {
    const limit = c.resources?.limits?.memory;
    if (limit === undefined) {
      return undefined;
    }
    total += parseQuantity(String(limit)).value();
  }
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.resources?.limits?.memory);
  for (const limit of inits) {
    if (limit !== undefined) {
      total = Math.max(total, parseQuantity(String(limit)).value());
    }
  }
  return containers.length > 0 ? total : undefined;
}

/** The mount points of this mount namespace (unescaped), from /proc/self/mountinfo. */
export async function mountPoints(mountinfo = '/proc/self/mountinfo'): Promise<string[]> {
  const text = await readFile(mountinfo, 'utf8');
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) =>
      p.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))),
    );
}

/** Sets up an emptyDir at `dir`: 0777 like the kubelet's, a tmpfs for medium Memory. */
export async function setUpEmptyDir(dir: string, source: EmptyDirSource, pod: Pod): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o777 });
  if (source.medium !== 'Memory') {
    return;
  }
  if ((await mountPoints()).includes(dir)) {
    return;
  }
  const size = memoryVolumeSize(source, pod);
  const opts = ['mode=0777', ...(size === undefined ? [] : [`size=${size}`])].join(',');
  try {
    await run('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new VolumeSetUpError(`mount failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Unmounts every mount at or below `dir`, deepest first (before the directory is removed). */
export async function unmountBelow(dir: string): Promise<void> {
  const points = (await mountPoints())
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) {
    await run('umount', [p]).catch(() => run('umount', ['-l', p]));
  }
}
