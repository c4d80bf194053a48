// Cgroup detection (v1 or v2 from /proc/self/mountinfo) and the kubelet's layout:
// kubepods[/burstable|/besteffort]/pod<uid>/<container>, with limits applied, pids added,
// stats read and directories removed. Guaranteed pods sit directly under kubepods, as upstream.
import { access, mkdir, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import type { CgroupLimits } from './cgroup-limits.js';
import { ContainerCgroup, removeTree } from './cgroup-container.js';
import { CONTROLLERS, errMessage, readText, writeCgroupFile } from './cgroup-fs.js';
import type { AvailableCgroups, CgroupSupport, Controller } from './cgroup-fs.js';

export { ContainerCgroup };
export { CgroupError, CONTROLLERS } from './cgroup-fs.js';
export type { AvailableCgroups, CgroupSupport, CgroupStats } from './cgroup-fs.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface CgroupMount {
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** The cgroup mounts listed in a mountinfo text (fields after the " - " separator). */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) {
      continue;
    }
    const mountPoint = left.split(' ')[4];
    const [fsType, , options] = right.split(' ');
    if (mountPoint && (fsType === 'cgroup' || fsType === 'cgroup2')) {
      mounts.push({ mountPoint, fsType, superOptions: (options ?? '').split(',') });
    }
  }
  return mounts;
}

/** Finds how this machine offers cgroups and whether we may write them. */
export async function detectCgroups(
  mountinfoPath = '/proc/self/mountinfo',
): Promise<CgroupSupport> {
  let mountinfo: string;
  try {
    mountinfo = await readFile(mountinfoPath, 'utf8');
  } catch (err) {
    return { available: false, reason: `cannot read ${mountinfoPath}: ${errMessage(err)}` };
  }
  const mounts = parseCgroupMounts(mountinfo);
  const v1 = new Map<string, string>();
  for (const m of mounts.filter((x) => x.fsType === 'cgroup')) {
    for (const c of CONTROLLERS.filter((name) => m.superOptions.includes(name))) {
      v1.set(c, m.mountPoint);
    }
  }
  const missing = CONTROLLERS.filter((c) => !v1.has(c));
  if (v1.size > 0) {
    if (missing.length > 0) {
      return {
        available: false,
        reason: `cgroup v1 controllers not mounted: ${missing.join(', ')}`,
      };
    }
    const byController = Object.fromEntries(v1) as Record<Controller, string>;
    const unwritable = await firstUnwritable(Object.values(byController));
    return unwritable
      ? { available: false, reason: unwritable }
      : { available: true, version: 1, mounts: byController };
  }
  const unified = mounts.find((m) => m.fsType === 'cgroup2');
  if (!unified) {
    return { available: false, reason: 'no cgroup filesystem is mounted' };
  }
  return detectUnified(unified.mountPoint);
}

async function detectUnified(root: string): Promise<CgroupSupport> {
  const controllers = (await readText(path.join(root, 'cgroup.controllers'))).split(/\s+/);
  const missing = ['cpu', 'memory', 'pids'].filter((c) => !controllers.includes(c));
  if (missing.length > 0) {
    return {
      available: false,
      reason: `cgroup v2 controllers not available: ${missing.join(', ')}`,
    };
  }
  const unwritable = await firstUnwritable([root]);
  return unwritable
    ? { available: false, reason: unwritable }
    : { available: true, version: 2, unifiedRoot: root };
}

async function firstUnwritable(dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    try {
      await access(dir, constants.W_OK);
    } catch (err) {
      return `cgroups are not writable (${dir}): ${errMessage(err)}`;
    }
  }
  return undefined;
}

/** The path of a pod's cgroup below the root, as the kubelet's cgroupfs driver names it. */
export function podCgroupPath(root: string, qos: QosClass, podUid: string): string {
  const qosDir = qos === 'Guaranteed' ? [] : [qos.toLowerCase()];
  return path.posix.join(root, ...qosDir, `pod${podUid}`);
}

/** Options of a CgroupManager: `root` is the top directory name (default `kubepods`). */
export interface CgroupManagerOptions {
  root?: string;
}

/** Creates, limits, reads and removes pod and container cgroups on one machine. */
export class CgroupManager {
  readonly root: string;

  constructor(
    readonly support: AvailableCgroups,
    opts: CgroupManagerOptions = {},
  ) {
    this.root = opts.root ?? 'kubepods';
  }

  /** Creates (or reuses) the container's cgroup and writes its limits. */
  async createContainer(spec: {
    qos: QosClass;
    podUid: string;
    container: string;
    limits: CgroupLimits;
    /** The pod's pids.max (the kubelet's --pod-max-pids), shared by its containers. */
    podPidsMax?: number;
  }): Promise<ContainerCgroup> {
    const podRel = podCgroupPath(this.root, spec.qos, spec.podUid);
    const rel = path.posix.join(podRel, spec.container);
    const cg = new ContainerCgroup(this.support, rel);
    if (this.support.version === 2) {
      await enableSubtree(this.support.unifiedRoot, podRel);
    }
    for (const dir of cg.dirs()) {
      await mkdir(dir, { recursive: true });
    }
    const pidsDir = new ContainerCgroup(this.support, podRel).dir('pids');
    await writeCgroupFile(path.join(pidsDir, 'pids.max'), String(spec.podPidsMax ?? 'max'));
    await cg.applyLimits(spec.limits);
    return cg;
  }

  /** A handle on an existing container cgroup (for adoption after a restart). */
  container(qos: QosClass, podUid: string, container: string): ContainerCgroup {
    const rel = path.posix.join(podCgroupPath(this.root, qos, podUid), container);
    return new ContainerCgroup(this.support, rel);
  }

  /** Removes a pod's cgroup and its container cgroups; their processes must be gone. */
  async removePod(qos: QosClass, podUid: string): Promise<void> {
    await removeTree(this.support, podCgroupPath(this.root, qos, podUid));
  }

  /** Removes the whole root (tests, or a node reset); every process must be gone. */
  async removeRoot(): Promise<void> {
    await removeTree(this.support, this.root);
  }
}

// v2's "no internal processes" rule: controllers are enabled top-down in each ancestor.
async function enableSubtree(unifiedRoot: string, relParent: string): Promise<void> {
  let dir = unifiedRoot;
  const parts = ['', ...relParent.split('/').filter(Boolean)];
  for (const part of parts) {
    dir = path.join(dir, part);
    await mkdir(dir, { recursive: true });
    await writeCgroupFile(path.join(dir, 'cgroup.subtree_control'), '+cpu +memory +pids');
  }
}
