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
import { instanceId } from '../network/naming.js';
import { TopLevelDirs, unmountBelow } from '../volumes/index.js';

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
    const found = await killRecordedProcesses(path.join(podsDir, uid), cgroups);
    killed += found.killed;
    found.cgroupPaths.forEach((p) => cgroupPaths.add(p));
    // Memory emptyDirs are tmpfs mounts on the node: the data dir cannot go while they stay.
    if (process.platform === 'linux') {
      await unmountBelow(path.join(podsDir, uid));
    }
  }
  if (cgroups) {
    await removeCgroups(cgroups, cgroupPaths);
  }
  await reapNetwork(dataDir);
  // Its pods are gone: the top-level mount points only they used go too.
  await new TopLevelDirs({ instance: instanceId(dataDir) }).drop(() => true);
  return killed;
}

/** Ends the processes one pod directory's state files record; returns their cgroup paths. */
export async function killRecordedProcesses(
  podDir: string,
  cgroups: AvailableCgroups | undefined,
): Promise<{ killed: number; cgroupPaths: Set<string> }> {
  let killed = 0;
  const cgroupPaths = new Set<string>();
  for (const container of await entries(podDir)) {
    const dir = path.join(podDir, container);
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
        const cgroup = new ContainerCgroup(cgroups, state.cgroupPath);
        await cgroup.killAll('SIGKILL');
        await cgroup.waitEmpty();
      }
    }
  }
  return { killed, cgroupPaths };
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

/** Removes the pod cgroups holding these container cgroups, retrying while processes leave. */
export async function removeCgroups(support: AvailableCgroups, paths: Set<string>): Promise<void> {
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
