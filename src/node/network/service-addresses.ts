// Keeps the instance's dummy interface holding exactly the Services' ClusterIPs (kube-proxy's
// IPVS mode does the same with kube-ipvs0), so the userspace proxy can bind each one and a
// ClusterIP that no Service has any more stops answering.
import type { KubeObject } from '../../apis/meta.js';
import type { Informer } from '../../client/informer.js';
import type { Logger } from 'pino';

/** What the sync changes: PodNetwork in isolated mode. */
export interface ServiceAddressTarget {
  syncServiceAddresses(ips: Set<string>): Promise<void>;
}

/** Every IPv4 ClusterIP of the Services (headless and ExternalName have none). */
export function clusterIPsOf(services: KubeObject[]): Set<string> {
  const ips = new Set<string>();
  for (const svc of services) {
    const spec = (svc.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[] };
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
      if (ip !== '' && ip !== 'None' && !ip.includes(':')) {
        ips.add(ip);
      }
    }
  }
  return ips;
}

/** Follows the Services informer; runs until the signal aborts. */
export async function syncServiceAddresses(
  services: Informer,
  target: ServiceAddressTarget,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  let isQueued = false;
  const queue = (): void => {
    if (isQueued || signal.aborted) {
      return;
    }
    isQueued = true;
    setImmediate(() => {
      isQueued = false;
      target
        .syncServiceAddresses(clusterIPsOf(services.list()))
        .catch((err: unknown) => log.warn({ err }, 'syncing Service ClusterIPs failed'));
    });
  };
  services.addEventHandler({ onAdd: queue, onUpdate: queue, onDelete: queue });
  await services.waitForSync();
  queue();
  await new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
    }
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
