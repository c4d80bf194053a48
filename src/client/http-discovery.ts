// Legacy discovery for HttpClient (/api, /apis, /api/v1, /apis/<g>/<v>), cached: which resources
// are namespaced (to build paths), and the preferred resources (client-go's
// ServerPreferredResources).
import { ApiError } from '../lib/errors.js';
import type { ResourceRef, ServerResource } from './client.js';

/** One entry of an APIResourceList. */
interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}

interface GroupVersion {
  group: string;
  version: string;
  isPreferred: boolean;
}

/** Group-version resource lists fetched at once. */
const DISCOVERY_CONCURRENCY = 8;

export class DiscoveryCache {
  private readonly lists = new Map<string, Promise<Map<string, ApiResource>>>();
  private preferred: ServerResource[] | undefined;

  constructor(private readonly getJson: (path: string) => Promise<unknown>) {}

  /** Forgets everything, so new resources (CRDs) are seen. */
  invalidate(): void {
    this.lists.clear();
    this.preferred = undefined;
  }

  /** Whether ref is namespaced; a resource unknown even after a fresh look is NotFound. */
  async isNamespaced(ref: ResourceRef): Promise<boolean> {
    const key = gvKey(ref.group, ref.version);
    let found = (await this.resourcesIn(ref.group, ref.version)).get(ref.resource);
    if (!found) {
      // Cached lists go stale when CRDs are added: look once more before giving up.
      this.lists.delete(key);
      found = (await this.resourcesIn(ref.group, ref.version)).get(ref.resource);
    }
    if (!found) {
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${ref.group}/${ref.version} ${ref.resource})`,
      );
    }
    return found.namespaced;
  }

  /**
   * Every group/resource once, in its group's preferred version when served there. A partial
   * answer (some group-version unavailable) is returned but not cached.
   */
  async serverResources(): Promise<ServerResource[]> {
    if (!this.preferred) {
      const { resources, isComplete } = await this.loadPreferred();
      if (!isComplete) {
        return resources;
      }
      this.preferred = resources;
    }
    return structuredClone(this.preferred);
  }

  private async loadPreferred(): Promise<{ resources: ServerResource[]; isComplete: boolean }> {
    const gvs = await this.groupVersions();
    const lists = await mapBounded(gvs, DISCOVERY_CONCURRENCY, (gv) =>
      this.resourcesIn(gv.group, gv.version).catch((e: unknown) => {
        // An aggregated API whose backend is down answers 503 (or 404): client-go skips such a
        // group-version and returns the rest, so a broken metrics server does not stop GC.
        if (e instanceof ApiError && (e.code === 503 || e.code === 404)) {
          return undefined;
        }
        throw e;
      }),
    );
    const chosen = new Map<string, ServerResource>();
    gvs.forEach((gv, i) => {
      for (const r of lists[i]?.values() ?? []) {
        const key = `${gv.group}/${r.name}`;
        if (!chosen.has(key) || gv.isPreferred) {
          chosen.set(key, {
            ref: { group: gv.group, version: gv.version, resource: r.name },
            kind: r.kind,
            namespaced: r.namespaced,
            verbs: [...(r.verbs ?? [])],
          });
        }
      }
    });
    return { resources: [...chosen.values()], isComplete: lists.every((l) => l !== undefined) };
  }

  private async groupVersions(): Promise<GroupVersion[]> {
    const [core, groups] = await Promise.all([this.getJson('/api'), this.getJson('/apis')]);
    const out: GroupVersion[] = [];
    const coreVersions = (core as { versions?: string[] }).versions ?? [];
    coreVersions.forEach((version, i) => out.push({ group: '', version, isPreferred: i === 0 }));
    const groupList = groups as {
      groups?: {
        name: string;
        versions: { version: string }[];
        preferredVersion?: { version: string };
      }[];
    };
    for (const g of groupList.groups ?? []) {
      const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
      for (const { version } of g.versions) {
        out.push({ group: g.name, version, isPreferred: version === preferred });
      }
    }
    return out;
  }

  private resourcesIn(group: string, version: string): Promise<Map<string, ApiResource>> {
    const key = gvKey(group, version);
    let list = this.lists.get(key);
    if (!list) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      list = this.getJson(path).then(toResourceMap);
      // A failed fetch is not cached: the next call tries again.
      list.catch(() => {
        if (this.lists.get(key) === list) {
          this.lists.delete(key);
        }
      });
      this.lists.set(key, list);
    }
    return list;
  }
}

function gvKey(group: string, version: string): string {
  return `${group}/${version}`;
}

/** Top-level resources of an APIResourceList by name; subresources (`pods/log`) are left out. */
function toResourceMap(body: unknown): Map<string, ApiResource> {
  const resources = (body as { resources?: ApiResource[] }).resources ?? [];
  return new Map(resources.filter((r) => !r.name.includes('/')).map((r) => [r.name, r]));
}

/** Runs fn over items with at most `limit` calls in flight; results keep the input order. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
