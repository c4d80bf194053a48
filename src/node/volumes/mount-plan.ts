// A container's mount plan: its volumeMounts (subPath, subPathExpr, readOnly) resolved to host
// sources, plus the node's own file binds (/etc/hosts ...), in the order the init mounts them.
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Container } from '../../apis/core/v1/types.js';
import { expand, mappingFor } from '../env/expansion.js';
import type { MountStep } from '../sandbox/init-mounts.js';

/** A file or directory the node binds into every container (e.g. the pod's /etc/hosts). */
export interface ExtraBind {
  source: string;
  target: string;
  readOnly?: boolean;
}

/** A mount the container cannot get; the container fails to start with this message. */
export class MountPlanError extends Error {
  readonly code = 'MountPlanFailed';
}

/** Options of buildMountPlan. */
export interface MountPlanOptions {
  /** Volume name → its host directory (or file), from the volume manager. */
  volumes: ReadonlyMap<string, string>;
  /** The container's environment, for subPathExpr. */
  env: Record<string, string>;
  extraBinds?: ExtraBind[];
}

/** The binds of one container, parents before children (mount order). */
export async function buildMountPlan(
  container: Container,
  opts: MountPlanOptions,
): Promise<MountStep[]> {
  const steps: MountStep[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const root = opts.volumes.get(vm.name ?? '');
    if (root === undefined) {
      throw new MountPlanError(
        `cannot find volume "${vm.name ?? ''}" to mount into container "${container.name ?? ''}"`,
      );
    }
    let sub = vm.subPath ?? '';
    if (vm.subPathExpr) {
      sub = expand(vm.subPathExpr, mappingFor(new Map(Object.entries(opts.env))));
    }
    const source = sub === '' ? root : await subPathSource(root, sub);
    // mountPropagation is ignored: every container mount is private to its namespace.
    steps.push({
      source,
      target: path.posix.normalize(vm.mountPath ?? ''),
      readOnly: vm.readOnly === true,
    });
  }
  for (const b of opts.extraBinds ?? []) {
    const target = path.posix.normalize(b.target);
    // A volume mounted at the same path wins, as the kubelet skips its /etc/hosts then.
    if (!steps.some((s) => s.target === target)) {
      steps.push({ source: b.source, target, readOnly: b.readOnly === true });
    }
  }
  return sortByDepth(steps);
}

/** Parents first; the relative order of equal depths is kept (Array.sort is stable). */
export function sortByDepth(steps: MountStep[]): MountStep[] {
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  return [...steps].sort((a, b) => depth(a.target) - depth(b.target));
}

/**
 * The host path of a subPath: it must stay inside the volume after symlinks are followed; a
 * missing one is created as a directory first, as the kubelet does.
 */
export async function subPathSource(root: string, sub: string): Promise<string> {
  if (path.posix.isAbsolute(sub) || sub.split('/').includes('..')) {
    throw new MountPlanError(`subPath "${sub}" must be a relative path without '..'`);
  }
  const full = path.join(root, sub);
  if (!(await stat(full).catch(() => undefined))) {
    await mkdir(full, { recursive: true, mode: 0o750 });
  }
  const [real, realRoot] = await Promise.all([realpath(full), realpath(root)]);
  // configMap keys are symlinks into ..data, which lives inside the volume too.
  if (real !== realRoot && !real.startsWith(`${realRoot}/`)) {
    throw new MountPlanError(`subpath "${full}" not within volume path "${root}"`);
  }
  return real;
}
