// The names kubeproc gives this instance's network objects on the node: an instance id from the
// data dir, so two kubeprocs on one machine never touch each other's bridge, netns or veths.
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Directory of the persistent UTS namespace files (bind mounts) of one instance. */
export const RUN_ROOT = '/run/kubeproc';
/** Where `ip netns add` keeps named network namespaces. */
export const NETNS_DIR = '/run/netns';

/** 6 hex characters of a hash of the absolute data dir. */
export function instanceId(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 6);
}

/** The first 8 hex characters of a pod UID (dashes dropped). */
export function uidPrefix(podUid: string): string {
  return podUid.replace(/-/g, '').toLowerCase().slice(0, 8);
}

/** The names of one instance's node-level objects. */
export interface InstanceNames {
  id: string;
  /** The bridge every pod's veth is enslaved to; holds the gateway address. */
  bridge: string;
  /** A dummy interface holding every Service ClusterIP as a /32. */
  dummy: string;
  /** Prefix of this instance's network namespaces. */
  netnsPrefix: string;
  /** Directory of the UTS namespace files. */
  runDir: string;
}

/** Names of the bridge, dummy, netns prefix and run dir of the instance using `dataDir`. */
export function instanceNames(dataDir: string): InstanceNames {
  const id = instanceId(dataDir);
  return {
    id,
    bridge: `kp${id}`,
    dummy: `kps${id}`,
    netnsPrefix: `kp${id}-`,
    runDir: path.join(RUN_ROOT, id),
  };
}

/** The per-pod names: netns, host-side veth, its peer before it is renamed eth0, UTS file. */
export interface PodNames {
  netns: string;
  netnsFile: string;
  hostVeth: string;
  peerVeth: string;
  utsFile: string;
}

/** The names of one pod's network objects. */
export function podNames(instance: InstanceNames, podUid: string): PodNames {
  const short = uidPrefix(podUid);
  const netns = `${instance.netnsPrefix}${short}`;
  return {
    netns,
    netnsFile: path.join(NETNS_DIR, netns),
    hostVeth: `kpv${short}`,
    peerVeth: `kpp${short}`,
    utsFile: path.join(instance.runDir, `${short}.uts`),
  };
}
