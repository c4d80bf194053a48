// What a container runs: its image's registered command (Docker's rules) and the environment the
// kubelet builds (service links, envFrom, env with valueFrom, $(VAR)), plus the host-mode ports.
import { readFileSync } from 'node:fs';
import type { Container, Pod } from '../../apis/core/v1/types.js';
import type { Lister } from '../../client/informer.js';
import { ContainerConfigError, expandContainerCommand, makeEnvironment } from '../env/index.js';
import { ContainerWaitError, type PodSandbox } from './launcher.js';
import type { ResolvedContainer } from './process-launcher.js';

/** A registered image's command, as the image registry resolves it for a container. */
export interface ImageCommand {
  command: string[];
  args: string[];
  workingDir?: string;
  env: { name: string; value: string }[];
  imageID: string;
  fromImage: boolean;
}

export interface ContainerResolverDeps {
  services: Lister;
  configMaps: Lister;
  secrets: Lister;
  nodeName: string;
  nodeAllocatable: () => Record<string, string>;
  /** Docker's rules over the registered image; rejects with ContainerWaitError when unknown. */
  imageCommand(container: Container): ImageCommand;
  /** Events for skipped envFrom keys. */
  onWarning?(pod: Pod, reason: string, message: string): void;
}

/** Builds the resolve function the process launcher calls before each start. */
export function containerResolver(deps: ContainerResolverDeps) {
  return async (
    pod: Pod,
    container: Container,
    sandbox: PodSandbox & { ports: Record<string, string> },
  ): Promise<ResolvedContainer> => {
    let env: Record<string, string>;
    try {
      env = await makeEnvironment(
        pod,
        container,
        {
          getConfigMap: (ns, name) => Promise.resolve(deps.configMaps.get(ns, name)),
          getSecret: (ns, name) => Promise.resolve(deps.secrets.get(ns, name)),
          services: deps.services.list(),
          nodeName: deps.nodeName,
          hostIP: sandbox.hostIP,
          podIP: sandbox.podIP,
          nodeAllocatable: deps.nodeAllocatable(),
        },
        {
          onInvalidKeys: (s) => deps.onWarning?.(pod, 'InvalidEnvironmentVariableNames', s.message),
        },
      );
    } catch (err) {
      if (err instanceof ContainerConfigError) {
        throw new ContainerWaitError(err.reason, err.message);
      }
      throw err;
    }
    // $(VAR) is expanded in the pod's command and args only, never in the image's.
    const expanded = expandContainerCommand(container.command, container.args, env);
    const image = deps.imageCommand({
      ...container,
      command: container.command === undefined ? undefined : expanded.command,
      args: container.args === undefined ? undefined : expanded.args,
    });
    // Image env and our ports sit under the pod's env; HOSTNAME and HOME as a container runtime
    // sets them (runc: the user's home from passwd, "/" for an unknown user).
    const uid = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser ?? 0;
    const full: Record<string, string> = {
      HOSTNAME: pod.metadata.name ?? '',
      HOME: homeOf(uid),
    };
    for (const e of image.env) {
      full[e.name] = e.value;
    }
    Object.assign(full, sandbox.ports, env);
    return {
      command: image.command,
      args: image.args,
      workingDir: container.workingDir || image.workingDir,
      env: full,
      imageID: image.imageID,
      fromImage: image.fromImage,
    };
  };
}

let passwd: string | undefined;

/** The home directory of uid in the node's /etc/passwd (the container's passwd is the node's). */
export function homeOf(uid: number, passwdText?: string): string {
  if (passwdText === undefined) {
    try {
      passwd ??= readFileSync('/etc/passwd', 'utf8');
    } catch {
      passwd = '';
    }
  }
  for (const line of (passwdText ?? passwd ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[2] === String(uid) && fields[5]) {
      return fields[5];
    }
  }
  return '/';
}
