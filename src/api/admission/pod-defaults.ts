// Pod admission on create: phase Pending, QoS class, and the default service account, as the
// pod strategy and ServiceAccount admission do upstream.
import type { AdmissionPlugin } from '../rest/context.js';

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}
interface ContainerLike {
  resources?: Resources;
}

/** Guaranteed, Burstable or BestEffort, from the containers' requests and limits. */
export function qosClass(containers: ContainerLike[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) {
      any = true;
    }
    for (const r of ['cpu', 'memory']) {
      const limit = limits[r];
      // Requests default to limits, so a limit with no request still counts as equal.
      if (limit === undefined || (requests[r] !== undefined && requests[r] !== limit)) {
        guaranteed = false;
      }
    }
  }
  if (!any) {
    return 'BestEffort';
  }
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const podDefaults: AdmissionPlugin = {
  name: 'PodDefaults',
  handles: (rt) => rt.group === '' && rt.kind === 'Pod',
  admit(req) {
    if (req.operation !== 'CREATE') {
      return;
    }
    const spec = (req.object.spec ?? {}) as {
      serviceAccountName?: string;
      serviceAccount?: string;
      containers?: ContainerLike[];
      initContainers?: ContainerLike[];
    };
    spec.serviceAccountName = spec.serviceAccountName || spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    req.object.spec = spec;
    req.object.status = {
      phase: 'Pending',
      qosClass: qosClass([...(spec.containers ?? []), ...(spec.initContainers ?? [])]),
    };
  },
};
