// Objects every cluster has from the start: the system namespaces and the `kubernetes` Service
// with endpoints pointing at this API server. Idempotent: restarts reconcile, never duplicate.
import type { KubeObject } from '../apis/meta.js';
import { isAlreadyExists, isNotFound } from '../lib/errors.js';
import type { ResourceService } from './rest/resource-service.js';
import type { ResourceRegistry } from './registry.js';
import type { Scope } from './rest/context.js';

export interface BootstrapConfig {
  apiAddress: string;
  apiPort: number;
  /** The first address of the service range, owned by the `kubernetes` Service. */
  serviceIp: string;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const MANAGER = { fieldManager: 'kube-apiserver' };

export function scope(
  registry: ResourceRegistry,
  group: string,
  resource: string,
  namespace: string,
): Scope {
  const rt = registry.storage(group, resource);
  if (!rt) {
    throw new Error(`bootstrap: resource ${group}/${resource} is not registered`);
  }
  return { rt: rt.rt, version: rt.version, namespace };
}

/** Creates obj unless it exists (a restart finds last run's objects and leaves them). */
export function ensure(svc: ResourceService, s: Scope, obj: KubeObject): void {
  try {
    svc.getStored(s, obj.metadata.name ?? '');
    return;
  } catch (e) {
    if (!isNotFound(e)) {
      throw e;
    }
  }
  try {
    svc.create(s, obj, MANAGER);
  } catch (e) {
    if (!isAlreadyExists(e)) {
      throw e;
    }
  }
}

/** Creates or refreshes the bootstrap objects. */
export function bootstrap(
  svc: ResourceService,
  registry: ResourceRegistry,
  config: BootstrapConfig,
): void {
  for (const name of SYSTEM_NAMESPACES) {
    ensure(svc, scope(registry, '', 'namespaces', ''), { metadata: { name } });
  }
  ensure(svc, scope(registry, '', 'services', 'default'), {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: config.serviceIp,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: config.apiPort }],
      sessionAffinity: 'None',
    },
  });
  const ip = config.apiAddress === '0.0.0.0' ? '127.0.0.1' : config.apiAddress;
  const endpoints: KubeObject = {
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [
      { addresses: [{ ip }], ports: [{ name: 'https', port: config.apiPort, protocol: 'TCP' }] },
    ],
  };
  const epScope = scope(registry, '', 'endpoints', 'default');
  try {
    const current = svc.getStored(epScope, 'kubernetes');
    svc.replaceStored(epScope, current, { ...current, subsets: endpoints.subsets }, MANAGER);
  } catch (e) {
    if (!isNotFound(e)) {
      throw e;
    }
    ensure(svc, epScope, endpoints);
  }
  reconcileApiServerSlice(svc, registry, ip, config.apiPort);
}

/** The `kubernetes` EndpointSlice, as the apiserver's endpoint reconciler writes it beside Endpoints. */
function reconcileApiServerSlice(
  svc: ResourceService,
  registry: ResourceRegistry,
  ip: string,
  port: number,
): void {
  const slice: KubeObject = {
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: ip.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
  const sliceScope = scope(registry, 'discovery.k8s.io', 'endpointslices', 'default');
  try {
    const current = svc.getStored(sliceScope, 'kubernetes');
    const next = { ...current, endpoints: slice.endpoints, ports: slice.ports };
    svc.replaceStored(sliceScope, current, next, MANAGER);
  } catch (e) {
    if (!isNotFound(e)) {
      throw e;
    }
    ensure(svc, sliceScope, slice);
  }
}
