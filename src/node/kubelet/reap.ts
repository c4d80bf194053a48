// Ends every container process a kubeproc data dir recorded and removes their cgroups: what tests
// and `kubeproc down --delete-pods` use, since app processes deliberately outlive kubeproc.
import { readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { readContainerState, isSameProcess } from '../runtime/container-state.js';
import { killGroup } from '../runtime/process-runtime.js';
import { detectCgroups } from '../runtime/cgroups.js';
import { ContainerCgroup, removeTree } from '../runtime/cgroup-container.js';
import type { AvailableCgroups } from '../runtime/cgroups.js';
import { removeInstanceNetwork } from '../network/index.js';
import { unmountBelow } from '../volumes/index.js';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Kills every recorded, still running container of `<dataDir>/pods`; returns how many. */
export async function reapPods(dataDir: string): Promise<number> {
  const support = await detectCgroups();
  const cgroups = support.available ? support : undefined;
  const podsDir = path.join(dataDir, 'pods');
  let killed = 0;
  const cgroupPaths = new Set<string>();
  for (const uid of await entries(podsDir)) {
    for (const container of await entries(path.join(podsDir, uid))) {
      const dir = path.join(podsDir, uid, container);
      for (const file of (await entries(dir)).filter((f) => f.endsWith('.state.json'))) {
        const state = await readContainerState(path.join(dir, file)).catch(() => undefined);
        if (!state) {
          continue;
        }
        if (state.cgroupPath) {
          cgroupPaths.add(state.cgroupPath);
        }
        if (await isSameProcess(state)) {
          killGroup(state.pid, 'SIGKILL');
          killed++;
        }
        if (cgroups && state.cgroupPath) {
          await new ContainerCgroup(cgroups, state.cgroupPath).killAll('SIGKILL');
        }
      }
    }
  }
  if (cgroups) {
    await removeCgroups(cgroups, cgroupPaths);
  }
  // Memory-backed emptyDirs and other volume mounts outlive the processes that used them.
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    await unmountBelow(podsDir);
  }
  await reapNetwork(dataDir);
  return killed;
}

// Isolated mode's namespaces, veths, bridge and dummy; nothing to do where it cannot have run.
async function reapNetwork(dataDir: string): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return;
  }
  const tools = { ip: 'ip', unshare: 'unshare', nsenter: 'nsenter', umount: 'umount' };
  try {
    await removeInstanceNetwork(dataDir, tools);
  } catch (err) {
    // Without iproute2 isolated mode never ran, so nothing of it can be left.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
}

async function removeCgroups(support: AvailableCgroups, paths: Set<string>): Promise<void> {
  const pods = new Set([...paths].map((p) => path.posix.dirname(p)));
  for (const pod of pods) {
    // Processes take a moment to leave a cgroup after SIGKILL.
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await removeTree(support, pod);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  await removeEmptyRoot(support);
}

/** Removes kubepods and its QoS directories when no pod cgroup is left in them. */
export async function removeEmptyRoot(support: AvailableCgroups, root = 'kubepods'): Promise<void> {
  const bases =
    support.version === 1 ? [...new Set(Object.values(support.mounts))] : [support.unifiedRoot];
  for (const base of bases) {
    for (const rel of [`${root}/besteffort`, `${root}/burstable`, root]) {
      await rmdir(path.join(base, rel)).catch(() => undefined);
    }
  }
}
