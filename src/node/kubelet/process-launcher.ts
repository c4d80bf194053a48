// The process runtime behind the pod worker: a directory per pod, host ports (host network mode),
// a cgroup per container where the machine has them, and the container's process itself.
import { rm } from 'node:fs/promises';
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
import type { ContainerRecord } from './container-record.js';
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
  type ContainerLauncher,
  type LaunchedContainer,
  type PodSandbox,
} from './launcher.js';

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
  pidsMax?: number;
  logMaxBytes?: number;
  /** Image + env + $(VAR) expansion; rejects with ContainerWaitError. */
  resolve(
    pod: Pod,
    container: Container,
    sandbox: PodSandbox & { ports: Record<string, string> },
  ): Promise<ResolvedContainer>;
  /** Runs a command in a running container (exec probes, hooks); absent when unsupported. */
  execFor?(pod: Pod, record: ContainerRecord): ProbeTarget['exec'];
  adopt?(
    pod: Pod,
    record: ContainerRecord,
    containerDir: string,
  ): Promise<RunningContainer | undefined>;
}

/** Runs containers as local process groups in host network mode. */
export class ProcessLauncher implements ContainerLauncher {
  private readonly ports = new Map<string, PortMap>();

  constructor(private readonly deps: ProcessLauncherDeps) {}

  podDir(uid: string): string {
    return path.join(this.deps.podsDir, uid);
  }

  async preparePod(pod: Pod): Promise<PodSandbox> {
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

  portMap(uid: string): PortMap {
    return this.ports.get(uid) ?? {};
  }

  async launch(pod: Pod, record: ContainerRecord): Promise<LaunchedContainer> {
    const uid = pod.metadata.uid ?? '';
    const sandbox = { podIP: '127.0.0.1', hostIP: this.deps.hostIP };
    const ports = portEnv(record.spec, this.portMap(uid));
    const resolved = await this.deps.resolve(pod, record.spec, { ...sandbox, ports });
    const cgroup = await this.deps.cgroups?.createContainer({
      qos: qosOf(pod),
      podUid: uid,
      container: record.name,
      limits: limitsFor(record.spec.resources as never, this.deps.pidsMax),
    });
    try {
      const process = await startContainer({
        name: record.name,
        command: resolved.command,
        args: resolved.args,
        env: resolved.env,
        workingDir: resolved.workingDir,
        podDir: this.podDir(uid),
        restartCount: record.restartCount,
        logMaxBytes: this.deps.logMaxBytes,
        cgroup,
      });
      return { process, imageID: resolved.imageID, fromImage: resolved.fromImage };
    } catch (err) {
      if (err instanceof ContainerStartError) {
        throw new ContainerWaitError(err.reason, err.message);
      }
      throw err;
    }
  }

  async adopt(pod: Pod, record: ContainerRecord): Promise<RunningContainer | undefined> {
    const dir = path.join(this.podDir(pod.metadata.uid ?? ''), record.name);
    return this.deps.adopt?.(pod, record, dir);
  }

  probeTarget(pod: Pod, record: ContainerRecord): ProbeTarget {
    const uid = pod.metadata.uid ?? '';
    return {
      ip: '127.0.0.1',
      env: record.spec.env,
      resolvePort: (name) => record.spec.ports?.find((p) => p.name === name)?.containerPort,
      mapPort: (port) => this.portMap(uid)[String(port)],
      exec: this.deps.execFor?.(pod, record),
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
    this.ports.delete(uid);
    try {
      await this.deps.cgroups?.removePod(qosOf(pod), uid);
    } catch (err) {
      this.deps.log.warn({ err, uid }, 'removing pod cgroup failed');
    }
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}

/** status.qosClass, as the API server set it at creation. */
export function qosOf(pod: Pod): QosClass {
  const q = pod.status?.qosClass;
  return q === 'Guaranteed' || q === 'Burstable' ? q : 'BestEffort';
}
