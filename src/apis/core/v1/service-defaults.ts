// Service defaulting (SetDefaults_Service) plus the cluster IP / IP family normalisation the
// service registry does around allocation; allocation itself is the API layer's.
import type { Service, ServiceSpec } from './types.js';

const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

const isExternal = (spec: ServiceSpec): boolean =>
  spec.type === 'LoadBalancer' ||
  spec.type === 'NodePort' ||
  (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);

function syncClusterIPs(spec: ServiceSpec): void {
  if (spec.clusterIP && !spec.clusterIPs?.length) {
    spec.clusterIPs = [spec.clusterIP];
  } else if (!spec.clusterIP && spec.clusterIPs?.[0]) {
    spec.clusterIP = spec.clusterIPs[0];
  }
}

function defaultIPFamilies(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') {
    return;
  }
  syncClusterIPs(spec);
  if (spec.ipFamilyPolicy === undefined) {
    // A selector-less headless Service serves every family the cluster has (just IPv4 here).
    const headlessNoSelector =
      spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
    const dual = (spec.ipFamilies?.length ?? 0) > 1 || (spec.clusterIPs?.length ?? 0) > 1;
    spec.ipFamilyPolicy = dual || headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
  }
  spec.ipFamilies ??= ['IPv4'];
}

function defaultSessionAffinity(spec: ServiceSpec): void {
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') {
    delete spec.sessionAffinityConfig;
  } else if (
    spec.sessionAffinity === 'ClientIP' &&
    spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined
  ) {
    spec.sessionAffinityConfig = {
      clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS },
    };
  }
}

function defaultPorts(spec: ServiceSpec): void {
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    // Zero and "" mean unset for an IntOrString.
    if (!port.targetPort) {
      port.targetPort = port.port;
    }
  }
}

/** SetDefaults_Service plus cluster IP / IP family normalisation (no allocation). */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  defaultSessionAffinity(spec);
  spec.type ||= 'ClusterIP';
  defaultPorts(spec);
  if (isExternal(spec)) {
    spec.externalTrafficPolicy ||= 'Cluster';
  }
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
  }
  defaultIPFamilies(spec);
}

const portKey = (p: { protocol?: string; port?: number }): string =>
  `${p.protocol ?? 'TCP'}/${p.port ?? 0}`;

function keepNodePorts(spec: ServiceSpec, prev: ServiceSpec): void {
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
    return;
  }
  const oldPorts = new Map((prev.ports ?? []).map((p) => [portKey(p), p.nodePort]));
  for (const p of spec.ports ?? []) {
    p.nodePort ||= oldPorts.get(portKey(p));
  }
}

/**
 * For the API layer before validating a Service update: values the server allocated (cluster
 * IPs, node ports, health check port, families) carry over when the client left them out,
 * as upstream's REST update does, so `kubectl replace` of the original manifest succeeds.
 */
export function prepareServiceForUpdate(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const prev = old.spec ?? {};
  if (spec.type === 'ExternalName' || prev.type === 'ExternalName') {
    return;
  }
  if (!spec.clusterIP && !spec.clusterIPs?.length) {
    spec.clusterIP = prev.clusterIP;
    spec.clusterIPs = prev.clusterIPs;
  }
  spec.ipFamilies ??= prev.ipFamilies;
  spec.ipFamilyPolicy ??= prev.ipFamilyPolicy;
  keepNodePorts(spec, prev);
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    spec.healthCheckNodePort ||= prev.healthCheckNodePort;
  }
}
