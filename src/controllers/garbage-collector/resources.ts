// Which served resources the garbage collector watches, and how an ownerReference's apiVersion
// and kind map to a served resource (upstream GetDeletableResources and the REST mapper).
import { parseApiVersion } from '../../apis/meta.js';
import type { ServerResource } from '../../client/client.js';

/** Never watched: high volume and nothing owns through them (upstream DefaultIgnoredResources). */
const IGNORED_RESOURCES = new Set(['/events', 'events.k8s.io/events']);

/** Resources the collector can see and act on: list, watch and delete, minus the ignored ones. */
export function deletableResources(resources: readonly ServerResource[]): ServerResource[] {
  return resources.filter(
    (r) =>
      ['delete', 'list', 'watch'].every((verb) => r.verbs.includes(verb)) &&
      !IGNORED_RESOURCES.has(`${r.ref.group}/${r.ref.resource}`),
  );
}

/** Maps an ownerReference's group and kind to the served resource, whatever its version. */
export class ResourceMapper {
  private byGroupKind = new Map<string, ServerResource>();

  /** Replaces what the mapper knows with a fresh discovery. */
  set(resources: readonly ServerResource[]): void {
    this.byGroupKind = new Map(resources.map((r) => [`${r.ref.group}/${r.kind}`, r]));
  }

  resourceFor(apiVersion: string, kind: string): ServerResource | undefined {
    return this.byGroupKind.get(`${parseApiVersion(apiVersion).group}/${kind}`);
  }
}

/** An ownerReference to a kind the server does not serve (a CRD not yet known, a typo). */
export class RestMappingError extends Error {
  readonly code = 'GC_REST_MAPPING';

  constructor(apiVersion: string, kind: string) {
    super(`unable to map kind ${kind} in version ${apiVersion} to a served resource`);
  }
}
