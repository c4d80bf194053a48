// What a container's init mounts (volumes, node file binds, its cgroup view, read-only root) and
// the setpriv words for runAsUser/runAsGroup; in host mode, where the volumes are instead.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import { CONTROLLERS } from '../runtime/cgroups.js';
import type { ContainerCgroup } from '../runtime/cgroups.js';
import type { MountSetup, MountStep } from '../sandbox/launch.js';
import { buildMountPlan, MountPlanError, type ExtraBind } from '../volumes/index.js';
import { ContainerWaitError } from './launcher.js';

/** The container's own cgroup directories bound read-only over the hierarchy mount points. */
export function cgroupViewBinds(cgroup: ContainerCgroup | undefined): MountStep[] {
  if (!cgroup) {
    return [];
  }
  const s = cgroup.support;
  const pairs: [string, string][] =
    s.version === 1
      ? CONTROLLERS.map((c) => [cgroup.dir(c), s.mounts[c]])
      : [[cgroup.dir('cpu'), s.unifiedRoot]];
  const seen = new Set<string>();
  return pairs.flatMap(([source, target]) => {
    if (seen.has(target)) {
      return [];
    }
    seen.add(target);
    return [{ source, target, readOnly: true }];
  });
}

/** Options of containerMounts. */
export interface ContainerMountsOptions {
  pod: Pod;
  container: Container;
  env: Record<string, string>;
  volumes: ReadonlyMap<string, string>;
  extraBinds: ExtraBind[];
  cgroup?: ContainerCgroup;
  scratchDir: string;
}

/** The init's mount setup; a bad volumeMount is a CreateContainerConfigError. */
export async function containerMounts(opts: ContainerMountsOptions): Promise<MountSetup> {
  let steps: MountStep[];
  try {
    steps = await buildMountPlan(opts.container, {
      volumes: opts.volumes,
      env: opts.env,
      extraBinds: opts.extraBinds,
    });
  } catch (err) {
    if (err instanceof MountPlanError) {
      throw new ContainerWaitError('CreateContainerConfigError', err.message);
    }
    throw err;
  }
  return {
    scratchDir: opts.scratchDir,
    mounts: [...cgroupViewBinds(opts.cgroup), ...steps],
    readOnlyRoot: opts.container.securityContext?.readOnlyRootFilesystem === true,
  };
}

/** `KUBEPROC_VOLUME_<NAME>`: where host mode tells a container its volume is. */
export function volumeEnvName(volume: string): string {
  return `KUBEPROC_VOLUME_${volume.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Host mode: env naming each mounted volume's path, and the event saying so. */
export function hostModeVolumes(
  container: Container,
  volumes: ReadonlyMap<string, string>,
): { env: Record<string, string>; message?: string } {
  const env: Record<string, string> = {};
  const parts: string[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const dir = volumes.get(vm.name ?? '');
    if (dir === undefined) {
      continue;
    }
    const full = vm.subPath ? path.join(dir, vm.subPath) : dir;
    env[volumeEnvName(vm.name ?? '')] = dir;
    parts.push(`${vm.mountPath ?? ''} is at ${full} ($${volumeEnvName(vm.name ?? '')})`);
  }
  if (container.securityContext?.readOnlyRootFilesystem) {
    parts.push('readOnlyRootFilesystem is not applied');
  }
  if (parts.length === 0) {
    return { env };
  }
  const message = `host mode cannot mount volumes at their mountPath in container ${container.name ?? ''}: ${parts.join('; ')}`;
  return { env, message };
}

/** The primary group of a uid in the node's /etc/passwd (the "image" here), else 0. */
function passwdGid(uid: number): number {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[2] === String(uid) && f[3] !== undefined) {
        return Number(f[3]);
      }
    }
  } catch {
    // No passwd file: like a runtime with no entry for the uid, the group is 0.
  }
  return 0;
}

/** The first executable `name` on the node's PATH. */
export function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  return dirs.map((d) => path.join(d, name)).find((p) => existsSync(p));
}

/**
 * setpriv words for runAsUser/runAsGroup (container over pod), supplementalGroups and fsGroup
 * as extra groups; [] when the container runs as the node's user.
 */
export function runAsWrapper(
  pod: Pod,
  container: Container,
  setpriv: string | undefined,
): string[] {
  const podCtx = pod.spec?.securityContext;
  const uid = container.securityContext?.runAsUser ?? podCtx?.runAsUser;
  const gid = container.securityContext?.runAsGroup ?? podCtx?.runAsGroup;
  if (uid === undefined && gid === undefined) {
    return [];
  }
  if (!setpriv) {
    throw new ContainerWaitError(
      'CreateContainerConfigError',
      'runAsUser/runAsGroup need setpriv (util-linux) on this node',
    );
  }
  const groups = [...(podCtx?.supplementalGroups ?? [])];
  if (podCtx?.fsGroup !== undefined) {
    groups.push(podCtx.fsGroup);
  }
  const words = [setpriv];
  if (uid !== undefined) {
    words.push('--reuid', String(uid));
  }
  words.push('--regid', String(gid ?? (uid === undefined ? 0 : passwdGid(uid))));
  words.push(...(groups.length > 0 ? ['--groups', groups.join(',')] : ['--clear-groups']), '--');
  return words;
}
