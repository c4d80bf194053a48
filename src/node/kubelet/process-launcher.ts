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
import { execSync } from '../exec/exec-sync.js';
import { adoptContainer } from '../runtime/adopt-container.js';
import type { SandboxSupport } from '../sandbox/detect.js';
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
  /** What the machine allows: a PID namespace per container, or the host's process space. */
  sandbox: SandboxSupport;
}

/** Where exec (kubectl exec, exec probes, hooks) runs a command for one container instance. */
export interface ContainerExecTarget {
  targetPid?: number;
  sandbox?: { nsenter: string; setsid: string };
  cgroup?: ContainerCgroup;
  env: Record<string, string>;
  workingDir?: string;
}

/** Runs containers as local process groups in host network mode. */
export class ProcessLauncher implements ContainerLauncher {
  private readonly ports = new Map<string, PortMap>();
  /** The env and working dir each running container was started with (for exec). */
  private readonly started = new Map<
    string,
    { env: Record<string, string>; workingDir?: string }
  >();

  /** The running process of a container, supplied by the agent once it exists. */
  running?: (podUid: string, container: string) => RunningContainer | undefined;

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
        pidNamespace: this.deps.sandbox.pidNamespaces
          ? { unshare: this.deps.sandbox.unshare, setsid: this.deps.sandbox.setsid }
          : undefined,
        stdin: record.spec.stdin,
        stdinOnce: record.spec.stdinOnce,
        tty: record.spec.tty,
      });
      this.started.set(`${uid}/${record.name}`, {
        env: resolved.env,
        workingDir: resolved.workingDir,
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
    const uid = pod.metadata.uid ?? '';
    const file = path.join(this.podDir(uid), record.name, `${record.restartCount}.state.json`);
    const adopted = await adoptContainer(file, {
      cgroups: this.deps.cgroups?.support,
      logMaxBytes: this.deps.logMaxBytes,
    });
    if (adopted) {
      const sandbox = { podIP: '127.0.0.1', hostIP: this.deps.hostIP };
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
      cgroup: this.cgroupOf(pod, record.name),
      env: started.env,
      workingDir: started.workingDir,
    };
  }

  probeTarget(pod: Pod, record: ContainerRecord): ProbeTarget {
    const uid = pod.metadata.uid ?? '';
    return {
      ip: '127.0.0.1',
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
    this.ports.delete(uid);
    for (const key of this.started.keys()) {
      if (key.startsWith(`${uid}/`)) {
        this.started.delete(key);
      }
    }
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
