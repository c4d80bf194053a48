// Which container a pods/log, exec or attach request means: the apiserver's validateContainer
// (pkg/registry/core/pod/strategy.go), with its exact messages, for the API server's route.
import type { KubeObject } from '../../apis/meta.js';
import { badRequest } from '../../lib/errors.js';

interface NamedContainer {
  name?: string;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as NamedContainer[]).map((c) => c.name ?? '') : [];
}

/**
 * The container a request names, or the pod's only container when it names none. Init and
 * ephemeral containers may be named; the default is never one of them.
 */
export function resolveContainer(pod: KubeObject, requested: string): string {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const name = pod.metadata.name ?? '';
  const containers = names(spec.containers);
  // VisitContainers order: init containers, containers, ephemeral containers.
  const all = [...names(spec.initContainers), ...containers, ...names(spec.ephemeralContainers)];
  if (requested !== '') {
    if (!all.includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (containers.length === 1) {
    return containers[0] ?? '';
  }
  if (containers.length === 0) {
    throw badRequest(`a container name must be specified for pod ${name}`);
  }
  throw badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`,
  );
}
