// Discovery documents: aggregated (apidiscovery v2 and v2beta1) and legacy (/api, /apis,
// /api/v1, /apis/<g>/<v>), built once from the registry.
import type { ResourceType, SubresourceName } from '../apis/resource-type.js';
import type { ResourceRegistry } from './registry.js';

const DEFAULT_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

interface SubresourceInfo {
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

function subresourceInfo(
  rt: ResourceType,
  version: string,
  name: SubresourceName,
): SubresourceInfo {
  const own = { group: rt.group, version, kind: rt.kind };
  switch (name) {
    case 'status':
      return { kind: own, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return {
        kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
        verbs: ['get', 'patch', 'update'],
      };
    case 'eviction':
      return { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };
    case 'binding':
      return { kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] };
    case 'log':
      return { kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] };
    case 'exec':
    case 'attach':
    case 'portforward':
      return {
        kind: {
          group: '',
          version: 'v1',
          kind:
            name === 'portforward'
              ? 'PodPortForwardOptions'
              : name === 'exec'
                ? 'PodExecOptions'
                : 'PodAttachOptions',
        },
        verbs: ['create', 'get'],
      };
    case 'proxy':
      return {
        kind: {
          group: '',
          version: 'v1',
          kind:
            rt.kind === 'Node'
              ? 'NodeProxyOptions'
              : rt.kind === 'Pod'
                ? 'PodProxyOptions'
                : 'ServiceProxyOptions',
        },
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      };
    case 'ephemeralcontainers':
      return { kind: own, verbs: ['get', 'patch', 'update'] };
  }
}

export interface ExtraGroup {
  group: string;
  version: string;
  resources: { resource: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

/** All discovery documents, precomputed. */
export class Discovery {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly extra: ExtraGroup[] = [],
    private readonly serverAddress = '127.0.0.1:6443',
  ) {}

  /** Aggregated discovery for /api (core=true) or /apis. */
  aggregated(core: boolean, apiVersion: 'v2' | 'v2beta1'): object {
    const groups = this.registry.groups().filter((g) => (g.group === '') === core);
    const items = groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: this.registry.resourcesIn(g.group, version).map(({ rt }) => ({
          resource: rt.resource,
          responseKind: { group: rt.group, version, kind: rt.kind },
          scope: rt.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: rt.singular,
          verbs: rt.verbs ?? DEFAULT_VERBS,
          ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
          ...(rt.categories.length ? { categories: rt.categories } : {}),
          ...(rt.subresources.length
            ? {
                subresources: rt.subresources.map((s) => {
                  const info = subresourceInfo(rt, version, s);
                  return { subresource: s, responseKind: info.kind, verbs: info.verbs };
                }),
              }
            : {}),
        })),
        freshness: 'Current',
      })),
    }));
    if (!core) {
      for (const e of this.extra) {
        items.push({
          metadata: { name: e.group, creationTimestamp: null },
          versions: [
            {
              version: e.version,
              resources: e.resources.map((r) => ({
                resource: r.resource,
                responseKind: { group: e.group, version: e.version, kind: r.kind },
                scope: r.namespaced ? 'Namespaced' : 'Cluster',
                singularResource: r.kind.toLowerCase(),
                verbs: r.verbs,
              })),
              freshness: 'Current',
            },
          ],
        });
      }
    }
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
      metadata: {},
      items,
    };
  }

  apiVersions(): object {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress }],
    };
  }

  private groupEntry(group: string, versions: string[]): object {
    const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions: vs, preferredVersion: vs[0] };
  }

  apiGroupList(): object {
    const groups = this.registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => this.groupEntry(g.group, g.versions));
    for (const e of this.extra) {
      groups.push(this.groupEntry(e.group, [e.version]));
    }
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  apiGroup(group: string): object | undefined {
    const g = this.registry.groups().find((x) => x.group === group && group !== '');
    const e = this.extra.find((x) => x.group === group);
    if (!g && !e) {
      return undefined;
    }
    return {
      kind: 'APIGroup',
      apiVersion: 'v1',
      ...this.groupEntry(group, g ? g.versions : [e?.version ?? '']),
    };
  }

  /** Legacy APIResourceList for /api/v1 or /apis/<g>/<v>. */
  resourceList(group: string, version: string): object | undefined {
    const entries = this.registry.resourcesIn(group, version);
    const e = this.extra.find((x) => x.group === group && x.version === version);
    if (entries.length === 0 && !e) {
      return undefined;
    }
    const resources: object[] = [];
    for (const { rt } of entries) {
      resources.push({
        name: rt.resource,
        singularName: rt.singular,
        namespaced: rt.namespaced,
        kind: rt.kind,
        verbs: rt.verbs ?? DEFAULT_VERBS,
        ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
        ...(rt.categories.length ? { categories: rt.categories } : {}),
      });
      for (const s of rt.subresources) {
        const info = subresourceInfo(rt, version, s);
        const cross = info.kind.group !== group || info.kind.version !== version;
        resources.push({
          name: `${rt.resource}/${s}`,
          singularName: '',
          namespaced: rt.namespaced,
          ...(cross ? { group: info.kind.group, version: info.kind.version } : {}),
          kind: info.kind.kind,
          verbs: info.verbs,
        });
      }
    }
    for (const r of e?.resources ?? []) {
      resources.push({
        name: r.resource,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
      });
    }
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
  }
}
