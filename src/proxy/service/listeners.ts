// Which addresses the Service proxy listens on, from the Services: each TCP port of a Service
// with a ClusterIP on clusterIP:port, and NodePort/LoadBalancer ones also on the node port
// address. Headless and ExternalName Services get no listener (kube-proxy programs none).
import type { Service, ServicePort } from '../../apis/core/v1/types.js';
import { DEFAULT_AFFINITY_TIMEOUT_MS } from '../backends/picker.js';

/** What one listener forwards to. */
export interface Binding {
  serviceKey: string;
  namespace: string;
  service: string;
  portName: string;
  /** Set for sessionAffinity: ClientIP. */
  affinityMs?: number;
}

export interface ListenerSpec {
  address: string;
  port: number;
  binding: Binding;
}

function affinityOf(svc: Service): number | undefined {
  if (svc.spec?.sessionAffinity !== 'ClientIP') {
    return undefined;
  }
  const seconds = svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  return seconds ? seconds * 1000 : DEFAULT_AFFINITY_TIMEOUT_MS;
}

function clusterIPsOf(svc: Service): string[] {
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => ip !== '' && ip !== 'None');
}

/** Listener key `address:port` (brackets for IPv6). */
export function listenerKey(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

type Entry = [address: string, port: number | undefined, binding: Binding];

function bindingFor(svc: Service, port: ServicePort): Binding {
  const namespace = svc.metadata.namespace ?? '';
  const service = svc.metadata.name ?? '';
  const affinityMs = affinityOf(svc);
  return {
    serviceKey: `${namespace}/${service}`,
    namespace,
    service,
    portName: port.name ?? '',
    ...(affinityMs !== undefined ? { affinityMs } : {}),
  };
}

/** Each TCP port of a Service with the addresses it is served on. */
function bindingsOf(svc: Service, nodePortAddress: string): Entry[] {
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') {
    return [];
  }
  const hasNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  const out: Entry[] = [];
  for (const port of (svc.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP')) {
    const binding = bindingFor(svc, port);
    out.push(...clusterIPsOf(svc).map((ip): Entry => [ip, port.port, binding]));
    if (hasNodePorts) {
      out.push([nodePortAddress, port.nodePort, binding]);
    }
  }
  return out;
}

/** Every listener the Services need, by `address:port`; the first Service to claim one wins. */
export function desiredListeners(
  services: Service[],
  nodePortAddress: string,
): Map<string, ListenerSpec> {
  const out = new Map<string, ListenerSpec>();
  for (const svc of services) {
    for (const [address, port, binding] of bindingsOf(svc, nodePortAddress)) {
      const key = port ? listenerKey(address, port) : '';
      if (port && !out.has(key)) {
        out.set(key, { address, port, binding });
      }
    }
  }
  return out;
}
