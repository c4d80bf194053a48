// Maps an HPA's scaleTargetRef (apiVersion + kind) to the resource whose /scale it reads, as
// upstream's RESTMapper does; the served resources are re-read when a kind is not found.
import type { CrossVersionObjectReference } from '../../apis/autoscaling/types.js';
import type { Client, ResourceRef, ServerResource } from '../../client/client.js';

/** The mapping failed: no served resource has that group and kind. */
export class NoKindMatchError extends Error {}

export class ScaleTargetResolver {
  private resources: ServerResource[] | undefined;

  constructor(private readonly client: Client) {}

  /** The resource serving `ref.kind` in `ref.apiVersion`'s group. */
  async resolve(ref: CrossVersionObjectReference): Promise<ResourceRef> {
    const group = groupOf(ref.apiVersion ?? '');
    const found =
      (await this.lookup(group, ref.kind, false)) ?? (await this.lookup(group, ref.kind, true));
    if (!found) {
      throw new NoKindMatchError(`no matches for kind "${ref.kind}" in group "${group}"`);
    }
    return found;
  }

  private async lookup(
    group: string,
    kind: string,
    refresh: boolean,
  ): Promise<ResourceRef | undefined> {
    if (refresh || !this.resources) {
      this.resources = await this.client.serverResources();
    }
    return this.resources.find((r) => r.ref.group === group && r.kind === kind)?.ref;
  }
}

/** `apps/v1` → `apps`; `v1` → '' (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
