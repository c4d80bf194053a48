// What a container runs, from its spec and its registered image, by Docker's rules (and
// containerd's WithProcessArgs): `command` replaces the entrypoint and drops the image's cmd,
// `args` replace the cmd. Also the waiting reasons when that cannot be decided.
import type { Container } from '../../apis/core/v1/types.js';
import { checkImageReference, formatImageReference } from '../../apis/kubeproc/reference.js';
import type { ImageEnvVar, ImageSpec } from '../../apis/kubeproc/types.js';

/** A runnable process: `command` is never empty. */
export interface ResolvedCommand {
  command: string[];
  args: string[];
  workingDir?: string;
  /**
   * The image's env without the names the container sets: the agent puts the container's
   * (resolved) env on top of it.
   */
  env: ImageEnvVar[];
  /** The normalized reference when a registered image was used, else ''. */
  imageID: string;
  /** A registered image was used (its command, or only its env and working dir). */
  fromImage: boolean;
}

/** Why the container cannot start yet: the container status' waiting reason and message. */
export interface ContainerWaiting {
  waiting: { reason: string; message: string };
}

const waiting = (reason: string, message: string): ContainerWaiting => ({
  waiting: { reason, message },
});

const nonEmpty = (words: string[] | undefined): words is string[] =>
  words !== undefined && words.length > 0;

/** The process to run for a container, given its registered image (undefined: not registered). */
export function resolveContainerCommand(
  container: Container,
  image: ImageSpec | undefined,
): ResolvedCommand | ContainerWaiting {
  const reference = container.image ?? '';
  const { ref, problem } = checkImageReference(reference);
  if (!ref) {
    // The kubelet's message for a reference it cannot parse.
    const quoted = JSON.stringify(reference);
    return waiting(
      'InvalidImageName',
      `Failed to apply default image tag ${quoted}: couldn't parse image name ${quoted}: ${problem}`,
    );
  }
  if (!image && !nonEmpty(container.command)) {
    return waiting(
      'ErrImagePull',
      `image "${reference}" is not registered with kubeproc and the container sets no command: register it with "kubeproc image add ${reference} -- COMMAND [ARGS...]" or set command in the pod spec`,
    );
  }
  const { entrypoint, cmd } = dockerArgv(container, image);
  const argv = [...entrypoint, ...cmd];
  if (argv.length === 0) {
    return waiting(
      'CreateContainerError',
      `no command specified: image "${reference}" has no entrypoint or cmd and the container sets neither command nor args: register it with "kubeproc image add ${reference} -- COMMAND [ARGS...]" or set command in the pod spec`,
    );
  }
  // Without an entrypoint the first word of cmd is the program.
  const split = Math.max(entrypoint.length, 1);
  return withImageSettings(
    { command: argv.slice(0, split), args: argv.slice(split) },
    container,
    image && { spec: image, id: formatImageReference(ref) },
  );
}

function dockerArgv(
  container: Container,
  image: ImageSpec | undefined,
): { entrypoint: string[]; cmd: string[] } {
  if (nonEmpty(container.command)) {
    return { entrypoint: container.command, cmd: container.args ?? [] };
  }
  const cmd = nonEmpty(container.args) ? container.args : (image?.cmd ?? []);
  return { entrypoint: image?.entrypoint ?? [], cmd };
}

function withImageSettings(
  argv: { command: string[]; args: string[] },
  container: Container,
  image: { spec: ImageSpec; id: string } | undefined,
): ResolvedCommand {
  const resolved: ResolvedCommand = {
    ...argv,
    env: imageEnvUnder(container, image?.spec),
    imageID: image?.id ?? '',
    fromImage: image !== undefined,
  };
  const workingDir = container.workingDir || image?.spec.workingDir;
  if (workingDir) {
    resolved.workingDir = workingDir;
  }
  return resolved;
}

/** Whether the resolution is a waiting state rather than a process. */
export function isWaiting(result: ResolvedCommand | ContainerWaiting): result is ContainerWaiting {
  return 'waiting' in result;
}

function imageEnvUnder(container: Container, image: ImageSpec | undefined): ImageEnvVar[] {
  const own = new Set((container.env ?? []).map((e) => e.name));
  return (image?.env ?? [])
    .filter((e) => !own.has(e.name))
    .map((e) => ({ name: e.name, value: e.value ?? '' }));
}
