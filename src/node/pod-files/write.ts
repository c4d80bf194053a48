// Writes a pod's network files (hosts, resolv.conf, hostname) into one directory, each atomically
// (temp file + rename), for the node agent to bind-mount at /etc/hosts, /etc/resolv.conf and
// /etc/hostname in every container of the pod.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '../../apis/core/v1/types.js';
import {
  hostNetworkHostsFile,
  managedHostsFile,
  nodenameForKernel,
  podHostnameAndDomain,
} from './hosts.js';
import { formatResolvConf, podDnsConfig } from './resolv-conf.js';
import type { DnsEvent } from './resolv-conf.js';

export interface PodNetworkFilesOptions {
  clusterDomain: string;
  /** The cluster DNS address(es); empty means no cluster DNS (ClusterFirst falls back). */
  clusterDns: string[];
  /** The node's resolv.conf path (kubelet --resolv-conf); '' for none. Default /etc/resolv.conf. */
  resolvConfPath?: string;
  /** The node's hosts file, for host-network pods. Default /etc/hosts. */
  hostsPath?: string;
}

export interface PodNetworkFiles {
  /** The hostname to give the pod's UTS namespace. */
  hostname: string;
  /** Warning events for the pod (reason, message), as the kubelet records them. */
  events: DnsEvent[];
  paths: { hosts: string; resolvConf: string; hostname: string };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, path);
}

/** Computes and writes the pod's hosts, resolv.conf and hostname under dir (created if missing). */
export async function writePodNetworkFiles(
  dir: string,
  pod: Pod,
  podIPs: string[],
  opts: PodNetworkFilesOptions,
): Promise<PodNetworkFiles> {
  const names = podHostnameAndDomain(pod, opts.clusterDomain);
  const hostname = nodenameForKernel(pod, names);
  const resolvPath = opts.resolvConfPath ?? '/etc/resolv.conf';
  const hostResolvConf = resolvPath === '' ? undefined : ((await readOptional(resolvPath)) ?? '');
  const dns = podDnsConfig(pod, {
    clusterDomain: opts.clusterDomain,
    clusterDns: opts.clusterDns,
    ...(hostResolvConf !== undefined ? { hostResolvConf } : {}),
  });
  const hosts = pod.spec?.hostNetwork
    ? hostNetworkHostsFile(pod, (await readOptional(opts.hostsPath ?? '/etc/hosts')) ?? '')
    : managedHostsFile(pod, podIPs, names);
  await mkdir(dir, { recursive: true });
  const paths = {
    hosts: join(dir, 'hosts'),
    resolvConf: join(dir, 'resolv.conf'),
    hostname: join(dir, 'hostname'),
  };
  await writeAtomically(paths.hosts, hosts);
  await writeAtomically(paths.resolvConf, formatResolvConf(dns));
  await writeAtomically(paths.hostname, `${hostname}\n`);
  return { hostname, events: dns.events, paths };
}
