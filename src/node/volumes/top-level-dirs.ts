// Missing top-level mount points (`/cache`, `/data`): an empty 0755 directory created on the node,
// because a container cannot get one without pivoting its whole root. A machine-wide registry
// records which pods use each one, so the last user (of any kubeproc instance) removes it.
import { lstat, mkdir, readdir, rm, rmdir, chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/** `.created` marks a directory kubeproc made; `<instance>-<uid>` marks one pod using it. */
const CREATED = '.created';
/** Where the registry lives by default: beside the instances' run dirs. */
export const MOUNT_POINT_REGISTRY = '/run/kubeproc/mountpoints';

export interface TopLevelDirsOptions {
  /** This kubeproc's instance id (see network/naming.ts): markers are `<instance>-<uid>`. */
  instance: string;
  registry?: string;
  /** The node's root (tests use a temporary directory). */
  root?: string;
  log?: Logger;
}

/** The top-level directory names mount targets need, e.g. `/cache/x` → `cache`. */
export function topLevelNames(targets: string[]): string[] {
  const names = targets
    .filter((t) => t.startsWith('/'))
    .map((t) => t.split('/').find((part) => part !== '') ?? '')
    .filter((n) => n !== '' && n !== '.' && n !== '..');
  return [...new Set(names)];
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw err;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw err;
  }
}

/** Creates, shares and removes the top-level mount points the pods of one instance need. */
export class TopLevelDirs {
  private readonly registry: string;
  private readonly root: string;
  /** One change at a time within this process (a pod's release races another's ensure). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: TopLevelDirsOptions) {
    this.registry = opts.registry ?? MOUNT_POINT_REGISTRY;
    this.root = opts.root ?? '/';
  }

  /** Makes the missing top-level directories of `targets`; returns the ones kubeproc manages. */
  ensure(uid: string, targets: string[]): Promise<string[]> {
    return this.serialize(async () => {
      const used: string[] = [];
      for (const name of topLevelNames(targets)) {
        const entry = path.join(this.registry, name);
        const managed = (await list(entry)).includes(CREATED);
        if (!managed && (await exists(path.join(this.root, name)))) {
          continue; // The node's own directory: never ours to create or remove.
        }
        await mkdir(entry, { recursive: true, mode: 0o700 });
        // The marker first: another instance's release then sees a user and keeps the directory.
        await writeFile(path.join(entry, this.marker(uid)), '');
        if (!managed) {
          await writeFile(path.join(entry, CREATED), '');
          await this.makeDir(path.join(this.root, name));
          this.opts.log?.info({ dir: path.join(this.root, name) }, 'created a mount point');
        }
        used.push(path.join(this.root, name));
      }
      return used;
    });
  }

  /** The pod is gone: drop its markers and remove directories nobody uses any more. */
  release(uid: string): Promise<void> {
    return this.drop((markerUid) => markerUid === uid);
  }

  /**
   * Drops this instance's markers of the pods `isGone` names (startup: pods that no longer exist;
   * reaping: all), then removes every kubeproc-made directory without users (only when empty).
   */
  drop(isGone: (uid: string) => boolean): Promise<void> {
    return this.serialize(async () => {
      const prefix = `${this.opts.instance}-`;
      for (const name of await list(this.registry)) {
        const entry = path.join(this.registry, name);
        for (const marker of await list(entry)) {
          const uid = marker.slice(prefix.length);
          if (marker.startsWith(prefix) && isGone(uid)) {
            await rm(path.join(entry, marker), { force: true });
          }
        }
        await this.removeUnused(name);
      }
      // Another instance's entries keep the registry (and /run/kubeproc) in place.
      await rmdir(this.registry).catch(() => undefined);
      await rmdir(path.dirname(this.registry)).catch(() => undefined);
    });
  }

  private async removeUnused(name: string): Promise<void> {
    const entry = path.join(this.registry, name);
    const markers = await list(entry);
    if (markers.some((m) => m !== CREATED)) {
      return;
    }
    const dir = path.join(this.root, name);
    if (markers.includes(CREATED)) {
      try {
        await rmdir(dir);
        this.opts.log?.info({ dir }, 'removed an unused mount point');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Something else put files there: it is the node's directory now, left as it is.
        if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') {
          throw err;
        }
      }
    }
    await rm(entry, { recursive: true, force: true });
  }

  private async makeDir(dir: string): Promise<void> {
    try {
      await mkdir(dir, { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
      return;
    }
    await chmod(dir, 0o755);
  }

  private marker(uid: string): string {
    return `${this.opts.instance}-${uid}`;
  }

  private serialize<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
