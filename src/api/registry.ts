// The served resources, indexed for routing and discovery.
import type { ResourceType, VersionInfo } from '../apis/resource-type.js';

export interface GroupVersions {
  group: string;
  /** Preferred first. */
  versions: string[];
}

export class ResourceRegistry {
  private readonly byKey = new Map<string, { rt: ResourceType; version: VersionInfo }>();

  constructor(readonly resources: ResourceType[]) {
    const seen = new Set<string>();
    for (const rt of resources) {
      const id = `${rt.group}/${rt.resource}`;
      if (seen.has(id)) {
        throw new Error(`resource ${id} registered twice`);
      }
      seen.add(id);
      for (const version of rt.versions) {
        this.byKey.set(`${rt.group}/${version.version}/${rt.resource}`, { rt, version });
      }
    }
  }

  lookup(
    group: string,
    version: string,
    resource: string,
  ): { rt: ResourceType; version: VersionInfo } | undefined {
    return this.byKey.get(`${group}/${version}/${resource}`);
  }

  /** The storage form of a resource: the type and its storage version. */
  storage(group: string, resource: string): { rt: ResourceType; version: VersionInfo } | undefined {
    const rt = this.resources.find((r) => r.group === group && r.resource === resource);
    const version = rt?.versions.find((v) => v.version === rt.storageVersion);
    return rt && version ? { rt, version } : undefined;
  }

  /** Groups in discovery order, each with its versions, preferred first. */
  groups(): GroupVersions[] {
    const out: GroupVersions[] = [];
    for (const rt of this.resources) {
      let g = out.find((x) => x.group === rt.group);
      if (!g) {
        g = { group: rt.group, versions: [] };
        out.push(g);
      }
      for (const v of rt.versions) {
        if (!g.versions.includes(v.version)) {
          g.versions.push(v.version);
        }
      }
    }
    return out;
  }

  /** Resources served in group/version. */
  resourcesIn(group: string, version: string): { rt: ResourceType; version: VersionInfo }[] {
    const out: { rt: ResourceType; version: VersionInfo }[] = [];
    for (const rt of this.resources) {
      const v = rt.group === group ? rt.versions.find((x) => x.version === version) : undefined;
      if (v) {
        out.push({ rt, version: v });
      }
    }
    return out;
  }
}
