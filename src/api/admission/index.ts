// The admission chain, in the order upstream runs the equivalent plugins.
import type { AdmissionPlugin } from '../rest/context.js';
import { hpaManagedReplicas } from './hpa-managed-replicas.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { podDefaults } from './pod-defaults.js';
import { serviceAllocation } from './service-allocation.js';
import type { ServiceAllocationConfig } from './service-allocation.js';

export { IMMORTAL_NAMESPACES } from './namespace-lifecycle.js';
export { Cidr, CLUSTER_DNS_OFFSET } from './cidr.js';

export function admissionChain(config: ServiceAllocationConfig): AdmissionPlugin[] {
  return [namespaceLifecycle, podDefaults, serviceAllocation(config), hpaManagedReplicas];
}
