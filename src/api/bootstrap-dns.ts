// The `kube-dns` Service in kube-system (a fixed ClusterIP, the 10th address of the service range)
// and its Endpoints/EndpointSlice, pointing at where kubeproc's own cluster DNS listens.
import type { KubeObject } from '../apis/meta.js';
import { isNotFound } from '../lib/errors.js';
import { ensure, MANAGER, scope } from './bootstrap.js';
import type { ResourceRegistry } from './registry.js';
import type { ResourceService } from './rest/resource-service.js';

const NAMESPACE = 'kube-system';
const NAME = 'kube-dns';
const LABELS = {
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'CoreDNS',
};

/** Creates kube-dns unless it exists; returns why it could not, or undefined. */
export function ensureKubeDnsService(
  svc: ResourceService,
  registry: ResourceRegistry,
  clusterIP: string,
): string | undefined {
  const service: KubeObject = {
    metadata: { name: NAME, namespace: NAMESPACE, labels: LABELS },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      sessionAffinity: 'None',
    },
  };
  try {
    ensure(svc, scope(registry, '', 'services', NAMESPACE), service);
    const stored = svc.getStored(scope(registry, '', 'services', NAMESPACE), NAME);
    const ip = (stored.spec as { clusterIP?: string } | undefined)?.clusterIP;
    return ip === clusterIP
      ? undefined
      : `kube-system/kube-dns has clusterIP ${ip ?? ''}, not ${clusterIP}`;
  } catch (e) {
    return `cannot create kube-system/kube-dns with clusterIP ${clusterIP}: ${(e as Error).message}`;
  }
}

function replaceOrCreate(
  svc: ResourceService,
  s: ReturnType<typeof scope>,
  obj: KubeObject,
  fields: string[],
): void {
  try {
    const current = svc.getStored(s, NAME);
    const next: KubeObject = { ...current };
    for (const f of fields) {
      next[f] = obj[f];
    }
    svc.replaceStored(s, current, next, MANAGER);
  } catch (e) {
    if (!isNotFound(e)) {
      throw e;
    }
    ensure(svc, s, obj);
  }
}

/**
 * Points kube-dns's Endpoints and EndpointSlice at the DNS server's address and port, or at
 * nothing when it does not serve (so the Service proxy never forwards to an absent server).
 * The metrics port is not published: nothing serves it.
 */
export function reconcileKubeDnsEndpoints(
  svc: ResourceService,
  registry: ResourceRegistry,
  serving: { address: string; port: number } | undefined,
): void {
  const ports = serving
    ? [
        { name: 'dns', port: serving.port, protocol: 'UDP' },
        { name: 'dns-tcp', port: serving.port, protocol: 'TCP' },
      ]
    : [];
  const endpoints: KubeObject = {
    metadata: {
      name: NAME,
      namespace: NAMESPACE,
      labels: { ...LABELS, 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: serving ? [{ addresses: [{ ip: serving.address }], ports }] : [],
  };
  replaceOrCreate(svc, scope(registry, '', 'endpoints', NAMESPACE), endpoints, ['subsets']);
  const slice: KubeObject = {
    metadata: {
      name: NAME,
      namespace: NAMESPACE,
      labels: { ...LABELS, 'kubernetes.io/service-name': NAME },
    },
    addressType: serving?.address.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: serving ? [{ addresses: [serving.address], conditions: { ready: true } }] : [],
    ports,
  };
  const sliceScope = scope(registry, 'discovery.k8s.io', 'endpointslices', NAMESPACE);
  replaceOrCreate(svc, sliceScope, slice, ['endpoints', 'ports']);
}
