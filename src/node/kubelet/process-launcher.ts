// The process runtime behind the pod worker: a directory per pod, host ports (host network mode),
// a cgroup per container where the machine has them, and the container's process itself.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import type { Client } from '../../client/client.js';
import { PODS } from '../../client/resources.js';
import type { ProbeTarget } from '../prober/index.js';
import { limitsFor } from '../runtime/cgroup-limits.js';
import type { CgroupManager, ContainerCgroup, QosClass } from '../runtime/cgroups.js';
import {
  ContainerStartError,
  startContainer,
  type RunningContainer,
} from '../runtime/process-runtime.js';
import { execSync } from '../exec/exec-sync.js';
import { adoptContainer } from '../runtime/adopt-container.js';
import type { SandboxSupport } from '../sandbox/detect.js';
import { UNSHARE_FLAGS } from '../sandbox/launch.js';
import {
  VolumeMountFailure,
  type ExtraBind,
  type TopLevelDirs,
  type VolumeManager,
} from '../volumes/index.js';
import { containerMounts, findOnPath, hostModeVolumes, runAsWrapper } from './container-mounts.js';
import type { PodNamespaces } from '../sandbox/launch.js';
import { IpRangeExhaustedError, type PodNetwork } from '../network/index.js';
import type { ContainerRecord } from './container-record.js';
import { killRecordedProcesses, removeCgroups } from './reap.js';
import type { PodEtcFiles } from './pod-etc-files.js';
import {
  allocatePorts,
  declaredPorts,
  portEnv,
  recordedPortMap,
  PORT_MAP_ANNOTATION,
} from './host-ports.js';
import type { PortMap } from './host-ports.js';
import {
  ContainerWaitError,
  PodWaitError,
  SandboxCreateError,
  sandboxIdFor,
  type ContainerLauncher,
  type LaunchedContainer,
  type PodSandbox,
} from './launcher.js';

/** Pod directories are named by UID; nothing else in the pods dir is ever treated as a pod. */
const POD_UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a container runs, after image and env resolution. */
export interface ResolvedContainer {
  command: string[];
  args: string[];
  workingDir?: string;
  env: Record<string, string>;
  imageID: string;
  fromImage: boolean;
}

export interface ProcessLauncherDeps {
  client: Client;
  log: Logger;
  /** <dataDir>/pods: one directory per pod UID. */
  podsDir: string;
  hostIP: string;
  cgroups?: CgroupManager;
  /** pids.max of each pod's cgroup (the kubelet's --pod-max-pids); unlimited when unset. */
  podPidsMax?: number;
  logMaxBytes?: number;
  /** Image + env + $(VAR) expansion; rejects with ContainerWaitError. */
  resolve(
    pod: Pod,
    container: Container,
    sandbox: PodSandbox & { ports: Record<string, string> },
  ): Promise<ResolvedContainer>;
  /** What the machine allows: a PID namespace per container, or the host's process space. */
  sandbox: SandboxSupport;
  /** The pod volumes; without it volumeMounts are ignored. */
  volumes?: VolumeManager;
  /** Files the node binds into each container (the pod's /etc/hosts, /etc/resolv.conf ...). */
  extraBinds?(pod: Pod, container: Container): ExtraBind[];
  /** Isolated network mode: each pod gets its own netns, IP and hostname; no host ports. */
  network?: { pods: PodNetwork; nsenter: string };
  /** The pods' /etc/hosts, /etc/resolv.conf and /etc/hostname (isolated mode). */
  etcFiles?: PodEtcFiles;
  /** Missing top-level mount points (`/cache`), made on the node while pods use them. */
  topLevelDirs?: TopLevelDirs;
}

/** Where exec (kubectl exec, exec probes, hooks) runs a command for one container instance. */
export interface ContainerExecTarget {
  targetPid?: number;
  sandbox?: { nsenter: string; setsid: string };
  podNamespaces?: PodNamespaces;
  cgroup?: ContainerCgroup;
  env: Record<string, string>;
  workingDir?: string;
}

/** Runs containers as local process groups, in host network mode or in per-pod namespaces. */
export class ProcessLauncher implements ContainerLauncher {
  private readonly ports = new Map<string, PortMap>();
  /** Isolated mode: each prepared pod's IP and namespace files. */
  private readonly attachments = new Map<string, PodNamespaces & { podIP: string }>();
  /** The env and working dir each running container was started with (for exec). */
  private readonly started = new Map<
    string,
    { env: Record<string, string>; workingDir?: string }
  >();

  /** The running process of a container, supplied by the agent once it exists. */
  running?: (podUid: string, container: string) => RunningContainer | undefined;

  private readonly setpriv = findOnPath('setpriv');
  /** A cgroup namespace too, where the kernel has them: /proc/self/cgroup then shows `/`. */
  private readonly unshareFlags = existsSync('/proc/self/ns/cgroup')
    ? [...UNSHARE_FLAGS, '--cgroup']
    : UNSHARE_FLAGS;

  constructor(private readonly deps: ProcessLauncherDeps) {}

  podDir(uid: string): string {
    return path.join(this.deps.podsDir, uid);
  }

  async preparePod(pod: Pod): Promise<PodSandbox> {
    if (this.deps.network && pod.spec?.hostNetwork !== true) {
      const sandbox = await this.preparePodNetwork(pod, this.deps.network);
      await this.deps.etcFiles?.prepare(pod, this.podDir(pod.metadata.uid ?? ''), [sandbox.podIP]);
      return sandbox;
    }
    if (this.deps.network) {
      // hostNetwork: the node's own network, its ports as declared.
      return { podIP: this.deps.hostIP, hostIP: this.deps.hostIP };
    }
    const uid = pod.metadata.uid ?? '';
    if (!this.ports.has(uid)) {
      const recorded = recordedPortMap(pod);
      const map = await allocatePorts(pod, recorded);
      const missing = declaredPorts(pod).some((p) => recorded?.[String(p)] === undefined);
      if (missing) {
        await this.deps.client.patch(
          PODS,
          pod.metadata.namespace ?? '',
          pod.metadata.name ?? '',
          'merge',
          {
            metadata: { annotations: { [PORT_MAP_ANNOTATION]: JSON.stringify(map) } },
          },
        );
      }
      this.ports.set(uid, map);
    }
    return { podIP: '127.0.0.1', hostIP: this.deps.hostIP };
  }

  // CNI ADD's job: the pod's netns, veth and IP (an adopted pod gets the ones it had).
  private async preparePodNetwork(
    pod: Pod,
    network: NonNullable<ProcessLauncherDeps['network']>,
  ): Promise<PodSandbox> {
    const uid = pod.metadata.uid ?? '';
    try {
      const attached = await network.pods.setupPod({
        uid,
        name: pod.metadata.name ?? '',
        hostname: pod.spec?.hostname,
      });
      this.attachments.set(uid, { ...attached, nsenter: network.nsenter });
      return { podIP: attached.podIP, hostIP: this.deps.hostIP };
    } catch (err) {
      const cause = err instanceof Error ? err.message : String(err);
      const detail =
        err instanceof IpRangeExhaustedError ? `failed to allocate for range 0: ${cause}` : cause;
      throw new SandboxCreateError(
        `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxIdFor(uid)}": plugin type="kubeproc-bridge" failed (add): ${detail}`,
      );
    }
  }

  /** The pod's address as the node reaches it: its own IP in isolated mode, else 127.0.0.1. */
  podIPOf(uid: string): string {
    return this.attachments.get(uid)?.podIP ?? '127.0.0.1';
  }

  /** The pod's network and UTS namespace files (isolated mode), for nsenter. */
  podNamespacesOf(uid: string): PodNamespaces | undefined {
    const a = this.attachments.get(uid);
    return a ? { nsenter: a.nsenter, netnsFile: a.netnsFile, utsFile: a.utsFile } : undefined;
  }

  portMap(uid: string): PortMap {
    return this.ports.get(uid) ?? {};
  }

  async launch(pod: Pod, record: ContainerRecord): Promise<LaunchedContainer> {
    const uid = pod.metadata.uid ?? '';
    const sandbox = { podIP: this.podIPOf(uid), hostIP: this.deps.hostIP };
    const ports = portEnv(record.spec, this.portMap(uid));
    const volumes = await this.setUpVolumes(pod, [sandbox.podIP]);
    const resolved = await this.deps.resolve(pod, record.spec, { ...sandbox, ports });
    const wrapper = runAsWrapper(pod, record.spec, this.setpriv);
    const isNamespaced = this.deps.sandbox.pidNamespaces;
    const hostMode = isNamespaced ? undefined : hostModeVolumes(record.spec, volumes);
    const env = { ...hostMode?.env, ...resolved.env };
    const cgroup = await this.deps.cgroups?.createContainer({
      qos: qosOf(pod),
      podUid: uid,
      container: record.name,
      limits: limitsFor(record.spec.resources as never),
      ...(this.deps.podPidsMax === undefined ? {} : { podPidsMax: this.deps.podPidsMax }),
    });
    const scratchDir = path.join(this.podDir(uid), record.name, 'scratch');
    const mounts = isNamespaced
      ? await containerMounts({
          pod,
          container: record.spec,
          env: resolved.env,
          volumes,
          extraBinds: [
            ...(this.deps.etcFiles?.bindsFor(uid) ?? []),
            ...(this.deps.extraBinds?.(pod, record.spec) ?? []),
          ],
          cgroup,
          scratchDir,
        })
      : undefined;
    if (mounts) {
      await mkdir(scratchDir, { recursive: true });
      await this.deps.topLevelDirs?.ensure(
        uid,
        mounts.mounts.map((m) => m.target),
      );
    }
    try {
      const process = await startContainer({
        name: record.name,
        command: resolved.command,
        args: resolved.args,
        env,
        mounts,
        wrapper,
        workingDir: resolved.workingDir,
        podDir: this.podDir(uid),
        restartCount: record.restartCount,
        logMaxBytes: this.deps.logMaxBytes,
        cgroup,
        pidNamespace: this.deps.sandbox.pidNamespaces
          ? {
              unshare: this.deps.sandbox.unshare,
              unshareFlags: this.unshareFlags,
              setsid: this.deps.sandbox.setsid,
            }
          : undefined,
        podNamespaces: this.podNamespacesOf(uid),
        stdin: record.spec.stdin,
        stdinOnce: record.spec.stdinOnce,
        tty: record.spec.tty,
      });
      this.started.set(`${uid}/${record.name}`, {
        env,
        workingDir: resolved.workingDir,
      });
      const events = [
        ...(this.deps.etcFiles?.takeEvents(uid) ?? []),
        ...(hostMode?.message
          ? [
              {
                type: 'Warning' as const,
                reason: 'VolumeMountsNotRemapped',
                message: hostMode.message,
              },
            ]
          : []),
      ];
      return { process, imageID: resolved.imageID, fromImage: resolved.fromImage, events };
    } catch (err) {
      if (err instanceof ContainerStartError) {
        throw new ContainerWaitError(err.reason, err.message);
      }
      throw err;
    }
  }

  /** The pod's volumes (name → host path); a volume not ready yet is a FailedMount wait. */
  private async setUpVolumes(pod: Pod, podIPs: string[]): Promise<Map<string, string>> {
    if (!this.deps.volumes) {
      return new Map();
    }
    try {
      return await this.deps.volumes.setUpPod(pod, podIPs);
    } catch (err) {
      if (err instanceof VolumeMountFailure) {
        throw new PodWaitError('FailedMount', err.message);
      }
      throw err;
    }
  }

  async adopt(pod: Pod, record: ContainerRecord): Promise<RunningContainer | undefined> {
    const uid = pod.metadata.uid ?? '';
    const file = path.join(this.podDir(uid), record.name, `${record.restartCount}.state.json`);
    const adopted = await adoptContainer(file, {
      cgroups: this.deps.cgroups?.support,
      logMaxBytes: this.deps.logMaxBytes,
    });
    if (adopted) {
      // Track the pod's volumes again so their objects' updates reach the running app.
      const sandbox = { podIP: this.podIPOf(uid), hostIP: this.deps.hostIP };
      await this.setUpVolumes(pod, [sandbox.podIP]).catch((err: unknown) =>
        this.deps.log.warn({ err, uid }, 'volumes of an adopted pod'),
      );
      const ports = portEnv(record.spec, this.portMap(uid));
      try {
        const resolved = await this.deps.resolve(pod, record.spec, { ...sandbox, ports });
        this.started.set(`${uid}/${record.name}`, {
          env: resolved.env,
          workingDir: resolved.workingDir,
        });
      } catch {
        // Exec then runs with an empty env; the container itself is unaffected.
      }
    }
    return adopted;
  }

  /** Where to exec in a container's current instance. */
  execTarget(
    pod: Pod,
    record: ContainerRecord,
    process: RunningContainer | undefined,
  ): ContainerExecTarget {
    const uid = pod.metadata.uid ?? '';
    const started = this.started.get(`${uid}/${record.name}`) ?? { env: {} };
    const sandbox = this.deps.sandbox;
    return {
      targetPid: sandbox.pidNamespaces ? process?.namespacePid : undefined,
      sandbox: sandbox.pidNamespaces
        ? { nsenter: sandbox.nsenter, setsid: sandbox.setsid }
        : undefined,
      podNamespaces: this.podNamespacesOf(uid),
      cgroup: this.cgroupOf(pod, record.name),
      env: started.env,
      workingDir: started.workingDir,
    };
  }

  probeTarget(pod: Pod, record: ContainerRecord): ProbeTarget {
    const uid = pod.metadata.uid ?? '';
    return {
      ip: this.podIPOf(uid),
      env: record.spec.env,
      resolvePort: (name) => record.spec.ports?.find((p) => p.name === name)?.containerPort,
      mapPort: (port) => this.portMap(uid)[String(port)],
      exec: (command, timeoutMs) =>
        execSync(
          this.execTarget(pod, record, this.running?.(uid, record.name)),
          command,
          timeoutMs,
        ),
    };
  }

  /** The cgroup of a container, where the machine has them. */
  cgroupOf(pod: Pod, container: string): ContainerCgroup | undefined {
    return this.deps.cgroups?.container(qosOf(pod), pod.metadata.uid ?? '', container);
  }

  /** The CRI log file of one container run. */
  logPath(uid: string, container: string, restartCount: number): string {
    return path.join(this.podDir(uid), container, `${restartCount}.log`);
  }

  async cleanupPod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    try {
      await this.deps.cgroups?.removePod(qosOf(pod), uid);
    } catch (err) {
      this.deps.log.warn({ err, uid }, 'removing pod cgroup failed');
    }
    await this.releasePod(uid);
  }

  async cleanupOrphans(isKnown: (uid: string) => boolean): Promise<string[]> {
    const entries = await readdir(this.deps.podsDir).catch(() => [] as string[]);
    const orphans = entries.filter((e) => POD_UID.test(e) && !isKnown(e));
    for (const uid of orphans) {
      const killed = await this.cleanupOrphan(uid);
      this.deps.log.info({ uid, killed }, 'removed a pod that no longer exists');
    }
    // Mount points of pods whose directories went another way (a reap, a removed data dir); a
    // pod known by now (even one created since the listing) keeps its markers.
    const left = new Set(entries.filter((e) => !orphans.includes(e)));
    await this.deps.topLevelDirs?.drop((uid) => !left.has(uid) && !isKnown(uid));
    return orphans;
  }

  /**
   * A pod directory whose pod is gone from the API (deleted while kubeproc was down): ends the
   * processes its state files record, then removes its cgroups, volumes, network and directory.
   */
  private async cleanupOrphan(uid: string): Promise<number> {
    const support = this.deps.cgroups?.support;
    const { killed, cgroupPaths } = await killRecordedProcesses(this.podDir(uid), support);
    if (support) {
      await removeCgroups(support, cgroupPaths).catch((err: unknown) =>
        this.deps.log.warn({ err, uid }, 'removing orphaned pod cgroup failed'),
      );
    }
    await this.releasePod(uid);
    return killed;
  }

  // Everything of a pod but its cgroup, once its processes have ended.
  private async releasePod(uid: string): Promise<void> {
    this.ports.delete(uid);
    this.deps.etcFiles?.forget(uid);
    if (this.deps.network) {
      this.attachments.delete(uid);
      try {
        await this.deps.network.pods.teardownPod(uid);
      } catch (err) {
        this.deps.log.warn({ err, uid }, 'removing pod network failed');
      }
    }
    for (const key of this.started.keys()) {
      if (key.startsWith(`${uid}/`)) {
        this.started.delete(key);
      }
    }
    try {
      await this.deps.volumes?.tearDownPod(uid);
      await this.deps.topLevelDirs?.release(uid);
    } catch (err) {
      this.deps.log.warn({ err, uid }, 'removing pod volumes failed');
    }
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}

/** status.qosClass, as the API server set it at creation. */
export function qosOf(pod: Pod): QosClass {
  const q = pod.status?.qosClass;
  return q === 'Guaranteed' || q === 'Burstable' ? q : 'BestEffort';
}
