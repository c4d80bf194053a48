// Isolated pod networking for one kubeproc instance: the bridge (gateway of the pod CIDR), the
// dummy interface that holds every Service ClusterIP as a /32 (so the userspace proxy binds them
// and pods reach them through their default route: no netfilter, no forwarding), pod IPs, and
// each pod's namespaces. Startup refuses overlapping ranges and removes what no pod owns.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NetworkTools } from './detect.js';
import { runCommand, runIgnoringMissing } from './ip-command.js';
import { IpPool } from './ipam.js';
import { cidrsOverlap, formatCidr, parseCidr } from './ipv4.js';
import type { Ipv4Cidr } from './ipv4.js';
import { instanceNames, podNames, uidPrefix } from './naming.js';
import type { InstanceNames, PodNames } from './naming.js';
import { nodeNetworks, overlapProblem } from './overlap.js';
import { createPodNetns, deletePodNetns, podHostname } from './pod-netns.js';
import { removeRunDir, removeStale } from './stale.js';

/** The file in a pod's directory recording its IP, so adoption keeps it. */
export const POD_NETWORK_FILE = 'network.json';

export interface PodNetworkOptions {
  dataDir: string;
  /** <dataDir>/pods: one directory per pod UID. */
  podsDir: string;
  podCidr: string;
  serviceCidr: string;
  tools: NetworkTools;
  log: Logger;
}

/** What a pod's containers and execs enter. */
export interface PodAttachment {
  podIP: string;
  /** /run/netns/kp<id>-<uid8>: nsenter --net=<this>. */
  netnsFile: string;
  /** The persistent UTS namespace: nsenter --uts=<this>. */
  utsFile: string;
}

/** A startup refusal (bad or overlapping range): one line for the user. */
export class PodNetworkConfigError extends Error {
  readonly code = 'PodNetworkConfig';
}

/** The node side of isolated mode; created by start(), torn down by shutdown(). */
export class PodNetwork {
  readonly names: InstanceNames;
  private readonly pool: IpPool;
  private readonly serviceAddresses = new Set<string>();
  /** Serializes address changes on the dummy (claims from the proxy race the Service sync). */
  private addressChain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly opts: PodNetworkOptions,
    readonly podCidr: Ipv4Cidr,
  ) {
    this.names = instanceNames(opts.dataDir);
    this.pool = new IpPool(podCidr);
  }

  /** Checks the ranges, creates the bridge and dummy, re-reserves adopted pods' IPs, reaps the rest. */
  static async start(opts: PodNetworkOptions): Promise<PodNetwork> {
    const pod = parseRange('--pod-cidr', opts.podCidr);
    const svc = parseRange('--service-cidr', opts.serviceCidr);
    if (cidrsOverlap(pod, svc)) {
      throw new PodNetworkConfigError(
        `--pod-cidr ${formatCidr(pod)} overlaps --service-cidr ${formatCidr(svc)}`,
      );
    }
    if (svc.base >>> 24 === 127 || pod.base >>> 24 === 127) {
      throw new PodNetworkConfigError(
        'isolated network mode cannot use loopback (127.0.0.0/8) ranges: a pod has its own loopback; use --network host or another range',
      );
    }
    const network = new PodNetwork(opts, pod);
    await network.checkOverlaps(pod, svc);
    await network.setupNode();
    const kept = await network.loadPods();
    await removeStale(opts.tools, network.names, kept, opts.log);
    return network;
  }

  /** util-linux's nsenter, which containers and execs use to enter a pod's namespaces. */
  get nsenter(): string {
    return this.opts.tools.nsenter;
  }

  /** The pod CIDR as given, normalized (`10.244.0.0/16`). */
  get podCidrText(): string {
    return formatCidr(this.podCidr);
  }

  /** The bridge's address, the pods' default gateway. */
  get gateway(): string {
    return this.pool.gateway;
  }

  /** Creates (or finds, for an adopted pod) the pod's IP and namespaces. */
  async setupPod(pod: { uid: string; name: string; hostname?: string }): Promise<PodAttachment> {
    const names = this.podNames(pod.uid);
    const podIP = this.pool.allocate(pod.uid);
    const dir = path.join(this.opts.podsDir, pod.uid);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, POD_NETWORK_FILE), JSON.stringify({ podIP, ...names }));
    await createPodNetns({
      tools: this.opts.tools,
      names,
      bridge: this.names.bridge,
      podIP,
      prefixLength: this.podCidr.bits,
      gateway: this.gateway,
      hostname: podHostname(pod.name, pod.hostname),
    });
    return { podIP, netnsFile: names.netnsFile, utsFile: names.utsFile };
  }

  /** The namespace files of a pod whose network exists (for exec), without creating anything. */
  attachmentOf(uid: string): PodAttachment | undefined {
    const podIP = this.pool.addressOf(uid);
    if (!podIP) {
      return undefined;
    }
    const names = this.podNames(uid);
    return { podIP, netnsFile: names.netnsFile, utsFile: names.utsFile };
  }

  /** Removes the pod's namespaces and veth and frees its IP (its processes have ended). */
  async teardownPod(uid: string): Promise<void> {
    await deletePodNetns(this.opts.tools, this.podNames(uid));
    this.pool.release(uid);
    await rm(path.join(this.opts.podsDir, uid, POD_NETWORK_FILE), { force: true });
  }

  /** Puts a ClusterIP on the dummy interface (idempotent) so a listener can bind it. */
  claimServiceAddress(ip: string): Promise<void> {
    return this.serialize(async () => {
      if (this.serviceAddresses.has(ip)) {
        return;
      }
      await runCommand(this.opts.tools.ip, [
        'addr',
        'replace',
        `${ip}/32`,
        'dev',
        this.names.dummy,
      ]);
      this.serviceAddresses.add(ip);
    });
  }

  /** Makes the dummy hold exactly `ips` (every Service ClusterIP). */
  syncServiceAddresses(ips: Set<string>): Promise<void> {
    return this.serialize(async () => {
      for (const ip of [...this.serviceAddresses].filter((a) => !ips.has(a))) {
        await runIgnoringMissing(this.opts.tools.ip, [
          'addr',
          'del',
          `${ip}/32`,
          'dev',
          this.names.dummy,
        ]);
        this.serviceAddresses.delete(ip);
      }
      for (const ip of [...ips].filter((a) => !this.serviceAddresses.has(a))) {
        await runCommand(this.opts.tools.ip, [
          'addr',
          'replace',
          `${ip}/32`,
          'dev',
          this.names.dummy,
        ]);
        this.serviceAddresses.add(ip);
      }
    });
  }

  /**
   * Normal shutdown: ClusterIPs go with the proxy (the dummy is removed); the bridge stays while
   * pods that outlive kubeproc still use it, and goes with the run dir when none is left.
   */
  async shutdown(): Promise<void> {
    await this.addressChain;
    const { ip } = this.opts.tools;
    await runIgnoringMissing(ip, ['link', 'del', this.names.dummy]);
    this.serviceAddresses.clear();
    if (this.pool.size === 0) {
      await runIgnoringMissing(ip, ['link', 'del', this.names.bridge]);
      await removeRunDir(this.names.runDir);
    }
  }

  private podNames(uid: string): PodNames {
    return podNames(this.names, uid);
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.addressChain.then(step);
    this.addressChain = next.catch((err: unknown) =>
      this.opts.log.warn({ err }, 'changing Service addresses failed'),
    );
    return next;
  }

  private async checkOverlaps(pod: Ipv4Cidr, svc: Ipv4Cidr): Promise<void> {
    const { ip } = this.opts.tools;
    const addrs = JSON.parse(await runCommand(ip, ['-j', 'addr'])) as never[];
    const routes = JSON.parse(await runCommand(ip, ['-j', 'route'])) as never[];
    const own = new Set([this.names.bridge, this.names.dummy]);
    const networks = nodeNetworks(addrs, routes, own);
    const problem =
      overlapProblem('--pod-cidr', pod, networks) ??
      overlapProblem('--service-cidr', svc, networks);
    if (problem) {
      throw new PodNetworkConfigError(problem);
    }
  }

  private async setupNode(): Promise<void> {
    const { ip } = this.opts.tools;
    const { bridge, dummy } = this.names;
    // No forward delay: a new pod's port forwards at once (there is no loop for STP to find).
    await runIgnoringExists(ip, ['link', 'add', bridge, 'type', 'bridge', 'forward_delay', '0']);
    await runCommand(ip, ['link', 'set', bridge, 'type', 'bridge', 'forward_delay', '0']);
    // A restart with another --pod-cidr must not keep the old gateway address.
    await runCommand(ip, ['addr', 'flush', 'dev', bridge]);
    await runCommand(ip, ['addr', 'add', `${this.gateway}/${this.podCidr.bits}`, 'dev', bridge]);
    await runCommand(ip, ['link', 'set', bridge, 'up']);
    await addServiceInterface(ip, dummy);
    await runCommand(ip, ['addr', 'flush', 'dev', dummy]);
    await runCommand(ip, ['link', 'set', dummy, 'up']);
  }

  /** Re-reserves the IPs recorded in pod directories; returns the UID prefixes kept. */
  private async loadPods(): Promise<Set<string>> {
    const kept = new Set<string>();
    const uids = await readdir(this.opts.podsDir).catch(() => [] as string[]);
    for (const uid of uids) {
      const file = path.join(this.opts.podsDir, uid, POD_NETWORK_FILE);
      const recorded = await readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as { podIP?: string },
        () => undefined,
      );
      if (recorded?.podIP && this.pool.reserve(recorded.podIP, uid)) {
        kept.add(uidPrefix(uid));
      } else if (recorded) {
        this.opts.log.warn({ uid, podIP: recorded.podIP }, 'pod IP outside --pod-cidr; not kept');
      }
    }
    return kept;
  }
}

function parseRange(flag: string, text: string): Ipv4Cidr {
  const cidr = parseCidr(text);
  if (!cidr || cidr.bits > 30 || cidr.bits < 8) {
    throw new PodNetworkConfigError(
      `invalid ${flag} "${text}": expected an IPv4 range from /8 to /30 such as 10.244.0.0/16`,
    );
  }
  return cidr;
}

// A kernel without the dummy driver (some containers and VMs) gets a bridge without ports: its
// addresses are just as local, which is all the ClusterIPs need.
async function addServiceInterface(ip: string, name: string): Promise<void> {
  try {
    await runIgnoringExists(ip, ['link', 'add', name, 'type', 'dummy']);
  } catch (err) {
    if (!(err instanceof Error) || !/Unknown device type|not supported/i.test(err.message)) {
      throw err;
    }
    await runIgnoringExists(ip, ['link', 'add', name, 'type', 'bridge']);
  }
}

async function runIgnoringExists(file: string, args: string[]): Promise<void> {
  try {
    await runCommand(file, args);
  } catch (err) {
    if (!(err instanceof Error) || !/File exists/.test(err.message)) {
      throw err;
    }
  }
}
