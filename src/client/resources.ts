// ResourceRefs of the built-in kinds, in their preferred versions.
import type { ResourceRef } from './client.js';

const ref = (group: string, version: string, resource: string): ResourceRef => ({
  group,
  version,
  resource,
});

export const NAMESPACES = ref('', 'v1', 'namespaces');
export const PODS = ref('', 'v1', 'pods');
export const SERVICES = ref('', 'v1', 'services');
export const ENDPOINTS = ref('', 'v1', 'endpoints');
export const CONFIGMAPS = ref('', 'v1', 'configmaps');
export const SECRETS = ref('', 'v1', 'secrets');
export const SERVICEACCOUNTS = ref('', 'v1', 'serviceaccounts');
export const NODES = ref('', 'v1', 'nodes');
export const EVENTS = ref('', 'v1', 'events');
export const DEPLOYMENTS = ref('apps', 'v1', 'deployments');
export const REPLICASETS = ref('apps', 'v1', 'replicasets');
export const HPAS = ref('autoscaling', 'v2', 'horizontalpodautoscalers');
export const INGRESSES = ref('networking.k8s.io', 'v1', 'ingresses');
export const INGRESSCLASSES = ref('networking.k8s.io', 'v1', 'ingressclasses');
export const PDBS = ref('policy', 'v1', 'poddisruptionbudgets');
export const ENDPOINTSLICES = ref('discovery.k8s.io', 'v1', 'endpointslices');
export const LEASES = ref('coordination.k8s.io', 'v1', 'leases');
