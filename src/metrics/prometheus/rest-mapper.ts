// Group-resource lookups the adapter does through a discovery RESTMapper: plural or singular names,
// an empty group meaning "any group, first served wins" (the priority mapper), kinds for
// describedObject, singular names for label templates. Built from Client.serverResources().
import type { ServerResource } from '../../client/client.js';
import type { GroupResource } from '../custom/provider.js';

export interface ResourceMapping {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** A group-resource the server does not serve. */
export class NoResourceMatchError extends Error {
  readonly code = 'NoResourceMatch';

  constructor(gr: GroupResource) {
    super(`no matches for ${gr.group === '' ? '' : `${gr.group}/`}, Resource=${gr.resource}`);
    this.name = 'NoResourceMatchError';
  }
}

/** Resolves partial group-resources against what the server serves. */
export class RestMapper {
  private readonly mappings: ResourceMapping[];

  constructor(resources: readonly ServerResource[]) {
    // Subresources (pods/status) are not metric targets.
    this.mappings = resources
      .filter((r) => !r.ref.resource.includes('/'))
      .map((r) => ({ ...r.ref, kind: r.kind, namespaced: r.namespaced }));
  }

  /** The served mapping for `gr` (plural or singular, any case; empty group: first match). */
  mappingFor(gr: GroupResource): ResourceMapping {
    const wanted = gr.resource.toLowerCase();
    const found = this.mappings.find(
      (m) =>
        (gr.group === '' || m.group === gr.group) &&
        (m.resource === wanted || m.kind.toLowerCase() === wanted),
    );
    if (!found) {
      throw new NoResourceMatchError(gr);
    }
    return found;
  }

  /** The normalized (plural, grouped) group-resource. */
  resourceFor(gr: GroupResource): GroupResource {
    const m = this.mappingFor(gr);
    return { group: m.group, resource: m.resource };
  }

  /** The singular name of a plural resource (the lower-case kind). */
  singular(resource: string): string {
    const m = this.mappings.find((x) => x.resource === resource);
    if (!m) {
      throw new NoResourceMatchError({ group: '', resource });
    }
    return m.kind.toLowerCase();
  }
}
