// One pod's network sandbox on the node: a named network namespace with eth0 (a veth into the
// instance's bridge), its IP, loopback and a default route via the gateway, and a persistent UTS
// namespace (a bind-mounted nsfs file) whose hostname is the pod's. Creation is idempotent, so an
// adopted pod keeps the namespaces its processes already live in.
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NetworkTools } from './detect.js';
import { runCommand, runIgnoringMissing } from './ip-command.js';
import type { PodNames } from './naming.js';

/** Everything createPodNetns needs besides the names. */
export interface PodNetnsSpec {
  tools: NetworkTools;
  names: PodNames;
  bridge: string;
  podIP: string;
  prefixLength: number;
  gateway: string;
  hostname: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function linkExists(ip: string, name: string): Promise<boolean> {
  try {
    await runCommand(ip, ['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

/** Creates whatever of the pod's netns, veth and UTS namespace is missing. */
export async function createPodNetns(spec: PodNetnsSpec): Promise<void> {
  const { tools, names } = spec;
  if (!(await exists(names.netnsFile))) {
    await runCommand(tools.ip, ['netns', 'add', names.netns]);
  }
  if (!(await linkExists(tools.ip, names.hostVeth))) {
    await addVeth(spec);
  }
  await runCommand(tools.ip, ['link', 'set', names.hostVeth, 'master', spec.bridge, 'up']);
  await ensureUts(spec);
}

async function addVeth(spec: PodNetnsSpec): Promise<void> {
  const { tools, names } = spec;
  // A stale eth0 (its host end died with a crash) would block the rename below.
  await runIgnoringMissing(tools.ip, ['-n', names.netns, 'link', 'del', 'eth0']);
  await runCommand(tools.ip, [
    'link',
    'add',
    names.hostVeth,
    'type',
    'veth',
    'peer',
    'name',
    names.peerVeth,
    'netns',
    names.netns,
  ]);
  const inside = [
    `link set ${names.peerVeth} name eth0`,
    `addr add ${spec.podIP}/${spec.prefixLength} dev eth0`,
    'link set eth0 up',
    'link set lo up',
    `route add default via ${spec.gateway} dev eth0`,
  ];
  await runCommand(tools.ip, ['-n', names.netns, '-batch', '-'], `${inside.join('\n')}\n`);
}

// `unshare --uts=<file>` keeps the namespace alive as a bind mount of its nsfs file.
async function ensureUts(spec: PodNetnsSpec): Promise<void> {
  const { tools, names } = spec;
  try {
    await runCommand(tools.nsenter, [`--uts=${names.utsFile}`, '--', 'true']);
    return;
  } catch {
    // Not a namespace file yet: create it below.
  }
  await mkdir(path.dirname(names.utsFile), { recursive: true, mode: 0o700 });
  await writeFile(names.utsFile, '');
  await runCommand(tools.unshare, [`--uts=${names.utsFile}`, '--', 'hostname', spec.hostname]);
}

/** Removes the pod's veth, netns and UTS namespace file; missing parts are fine. */
export async function deletePodNetns(tools: NetworkTools, names: PodNames): Promise<void> {
  // Deleting the netns alone would free the veth only asynchronously (when the kernel drops it).
  await runIgnoringMissing(tools.ip, ['link', 'del', names.hostVeth]);
  await runIgnoringMissing(tools.ip, ['netns', 'del', names.netns]);
  await unmountFile(tools, names.utsFile);
}

/** Unmounts (lazily, in case a process still holds it) and removes a namespace file. */
export async function unmountFile(tools: NetworkTools, file: string): Promise<void> {
  if (!(await exists(file))) {
    return;
  }
  await runIgnoringMissing(tools.umount, ['-l', file]);
  await rm(file, { force: true });
}

/** A pod's hostname as the kubelet sets it: spec.hostname or the name, cut to 63 characters. */
export function podHostname(name: string, specHostname?: string): string {
  const wanted = specHostname || name;
  if (wanted.length <= 63) {
    return wanted;
  }
  return wanted.slice(0, 63).replace(/[-.]+$/, '');
}
