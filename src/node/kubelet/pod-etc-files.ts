// The kubelet-managed /etc/hosts, /etc/resolv.conf and /etc/hostname of pods in isolated network
// mode: written once the pod's IP is known, bound into each container by its init, and the DNS
// warnings (MissingClusterDNS, DNSConfigForming) handed to the first container start as events.
import path from 'node:path';
import type { Pod } from '../../apis/core/v1/types.js';
import { PodHostnameError, writePodNetworkFiles } from '../pod-files/index.js';
import type { PodNetworkFilesOptions } from '../pod-files/index.js';
import type { ExtraBind } from '../volumes/index.js';
import { SandboxCreateError } from './launcher.js';

interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export class PodEtcFiles {
  private readonly binds = new Map<string, ExtraBind[]>();
  private readonly pending = new Map<string, PodEvent[]>();

  constructor(private readonly opts: PodNetworkFilesOptions) {}

  /** Writes the pod's files under `<podDir>/etc`; a bad hostname/subdomain fails the sandbox. */
  async prepare(pod: Pod, podDir: string, podIPs: string[]): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    try {
      const files = await writePodNetworkFiles(path.join(podDir, 'etc'), pod, podIPs, this.opts);
      // The kubelet mounts them writable (apps may append to /etc/hosts), so do we.
      this.binds.set(uid, [
        { source: files.paths.hosts, target: '/etc/hosts' },
        { source: files.paths.resolvConf, target: '/etc/resolv.conf' },
        { source: files.paths.hostname, target: '/etc/hostname' },
      ]);
      if (!this.pending.has(uid)) {
        this.pending.set(
          uid,
          files.events.map((e) => ({ type: 'Warning', reason: e.reason, message: e.message })),
        );
      }
    } catch (err) {
      if (err instanceof PodHostnameError) {
        throw new SandboxCreateError(err.message);
      }
      throw err;
    }
  }

  /** The binds for each container of the pod (none before prepare, or in host mode). */
  bindsFor(uid: string): ExtraBind[] {
    return this.binds.get(uid) ?? [];
  }

  /** The DNS warnings not reported yet; each is reported once per pod. */
  takeEvents(uid: string): PodEvent[] {
    const events = this.pending.get(uid) ?? [];
    this.pending.set(uid, []);
    return events;
  }

  forget(uid: string): void {
    this.binds.delete(uid);
    this.pending.delete(uid);
  }
}
