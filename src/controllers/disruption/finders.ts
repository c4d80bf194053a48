// From a pod's controllerRef to the controller whose scale counts: a Deployment (through its
// ReplicaSet), a bare ReplicaSet, else any kind with a scale subresource (upstream finders()).
import type { OwnerReference } from '../../apis/meta.js';
import type { Client, ResourceRef } from '../../client/client.js';
import type { Lister } from '../../client/informer.js';
import { isNotFound } from '../../lib/errors.js';
import { controllerOf } from '../common/owner-refs.js';

export interface ControllerAndScale {
  uid: string;
  scale: number;
}

/** Resolves one controllerRef; undefined when this finder does not know it (or it is gone). */
export type ControllerFinder = (
  ref: OwnerReference,
  namespace: string,
) => Promise<ControllerAndScale | undefined>;

export interface FinderDeps {
  client: Client;
  rsLister: Lister;
  deploymentLister: Lister;
}

const APPS_GROUPS = ['apps', 'extensions'];

/** The first finder that knows the ref wins, in upstream's order. */
export function controllerFinder(deps: FinderDeps): ControllerFinder {
  const finders: ControllerFinder[] = [
    (ref, ns) => Promise.resolve(podDeployment(deps, ref, ns)),
    (ref, ns) => Promise.resolve(podReplicaSet(deps, ref, ns)),
    (ref, ns) => scaleController(deps.client, ref, ns),
  ];
  return async (ref, namespace) => {
    for (const find of finders) {
      const found = await find(ref, namespace);
      if (found) {
        return found;
      }
    }
    return undefined;
  };
}

/** `apps/v1` → `apps`, `v1` → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isKind(ref: OwnerReference, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

/** The ReplicaSet ref names, if it is still that one (same uid). */
function replicaSetOf(deps: FinderDeps, ref: OwnerReference, namespace: string) {
  if (!isKind(ref, 'ReplicaSet', APPS_GROUPS)) {
    return undefined;
  }
  const rs = deps.rsLister.get(namespace, ref.name);
  return rs?.metadata.uid === ref.uid ? rs : undefined;
}

function podDeployment(
  deps: FinderDeps,
  ref: OwnerReference,
  namespace: string,
): ControllerAndScale | undefined {
  const rs = replicaSetOf(deps, ref, namespace);
  const owner = rs && controllerOf(rs);
  if (!owner || !isKind(owner, 'Deployment', APPS_GROUPS)) {
    return undefined;
  }
  const deployment = deps.deploymentLister.get(namespace, owner.name);
  if (deployment?.metadata.uid !== owner.uid) {
    return undefined;
  }
  return { uid: owner.uid, scale: specReplicas(deployment.spec) };
}

function podReplicaSet(
  deps: FinderDeps,
  ref: OwnerReference,
  namespace: string,
): ControllerAndScale | undefined {
  const rs = replicaSetOf(deps, ref, namespace);
  // A ReplicaSet a Deployment controls counts through the Deployment, never on its own.
  if (!rs || controllerOf(rs)?.kind === 'Deployment') {
    return undefined;
  }
  return { uid: ref.uid, scale: specReplicas(rs.spec) };
}

/** Any other kind: its scale subresource, found through the served resources (a RESTMapper). */
async function scaleController(
  client: Client,
  ref: OwnerReference,
  namespace: string,
): Promise<ControllerAndScale | undefined> {
  const group = groupOf(ref.apiVersion);
  const served = (await client.serverResources()).find(
    (r) => r.ref.group === group && r.kind === ref.kind,
  );
  if (!served) {
    throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  }
  let scale;
  try {
    scale = await client.getScale(served.ref, namespace, ref.name);
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
    // NotFound means the object is gone, or it has no scale subresource: tell them apart.
    if (await exists(client, served.ref, namespace, ref.name)) {
      throw new Error(`${qualified(served.ref)} does not implement the scale subresource`, {
        cause: err,
      });
    }
    return undefined;
  }
  if (scale.metadata.uid !== ref.uid) {
    return undefined;
  }
  // Scale.spec.replicas is omitempty: absent means 0, not the workloads' default of 1.
  return { uid: ref.uid, scale: specReplicas(scale.spec, 0) };
}

async function exists(client: Client, ref: ResourceRef, ns: string, name: string) {
  try {
    await client.get(ref, ns, name);
    return true;
  } catch (err) {
    if (isNotFound(err)) {
      return false;
    }
    throw err;
  }
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function specReplicas(spec: unknown, absent = 1): number {
  const replicas = (spec as { replicas?: number } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : absent;
}
