// The discovery priorities kube-apiserver registers its own group/versions with (the table in
// kube-apiserver's aggregator setup; beta versions as they were while served), and what groups
// it does not know get.

export interface APIServicePriority {
  /** spec.groupPriorityMinimum: orders groups, highest first. */
  group: number;
  /** spec.versionPriority: orders versions inside a group, highest first. */
  version: number;
}

const PRIORITIES: Record<string, APIServicePriority> = {
  '/v1': { group: 18000, version: 1 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'events.k8s.io/v1beta1': { group: 17750, version: 5 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'autoscaling/v2beta1': { group: 17500, version: 9 },
  'autoscaling/v2beta2': { group: 17500, version: 1 },
  'batch/v1': { group: 17400, version: 15 },
  'batch/v1beta1': { group: 17400, version: 9 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'policy/v1': { group: 17100, version: 15 },
  'policy/v1beta1': { group: 17100, version: 9 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'discovery.k8s.io/v1beta1': { group: 16200, version: 12 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
};

/** What the CRD registration controller gives group/versions outside the table. */
export const CUSTOM_RESOURCE_PRIORITY: APIServicePriority = { group: 1000, version: 100 };

/** The built-in priority of a group/version, or undefined when kube-apiserver has none. */
export function builtinPriority(group: string, version: string): APIServicePriority | undefined {
  return PRIORITIES[`${group}/${version}`];
}
