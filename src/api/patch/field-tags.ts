// Merge metadata for built-in API fields, keyed by @kubernetes/client-node model name and JSON
// field name. Learned from the patchStrategy/patchMergeKey struct tags and the +listType,
// +listMapKey, +mapType and +structType markers in upstream types.go (core/v1, apps/v1,
// autoscaling/v2, networking/v1, policy/v1, batch/v1, discovery/v1 and meta/v1).

export type ListType = 'atomic' | 'set' | 'map';

export interface FieldTag {
  /** The patchStrategy tag; `retainKeys` only matters to clients that build patches. */
  strategy?: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  /** The patchMergeKey tag (strategic merge patch). */
  mergeKey?: string;
  /** The +listType marker when it differs from what the patch tags imply. */
  listType?: ListType;
  /** The +listMapKey markers when they differ from the merge key. */
  listMapKeys?: string[];
  /** +mapType=atomic on a map field. */
  atomicMap?: boolean;
}

const byName = { strategy: 'merge', mergeKey: 'name' } as const;
const byType = { strategy: 'merge', mergeKey: 'type' } as const;
const containerPorts: FieldTag = {
  strategy: 'merge',
  mergeKey: 'containerPort',
  listMapKeys: ['containerPort', 'protocol'],
};
const containerLists: Record<string, FieldTag> = {
  ports: containerPorts,
  env: byName,
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
};

function forModel(model: string, fields: Record<string, FieldTag>): [string, FieldTag][] {
  return Object.entries(fields).map(([field, tag]) => [`${model}.${field}`, tag]);
}

/** `Model.field` to its tags. Lists without an entry are atomic and replaced by patches. */
export const FIELD_TAGS: ReadonlyMap<string, FieldTag> = new Map<string, FieldTag>([
  // meta/v1
  ...forModel('V1ObjectMeta', {
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
    finalizers: { strategy: 'merge' },
  }),
  // core/v1
  ...forModel('V1PodSpec', {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    initContainers: byName,
    containers: byName,
    ephemeralContainers: byName,
    imagePullSecrets: byName,
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: {
      strategy: 'merge',
      mergeKey: 'topologyKey',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    schedulingGates: byName,
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    nodeSelector: { atomicMap: true },
  }),
  ...forModel('V1Container', containerLists),
  ...forModel('V1EphemeralContainer', containerLists),
  ...forModel('V1ResourceRequirements', { claims: { listType: 'map', listMapKeys: ['name'] } }),
  ...forModel('V1ResourceStatus', { resources: { listType: 'map', listMapKeys: ['resourceID'] } }),
  ...forModel('V1ContainerRestartRuleOnExitCodes', { values: { listType: 'set' } }),
  ...forModel('V1PodStatus', {
    conditions: byType,
    hostIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
    podIPs: { strategy: 'merge', mergeKey: 'ip' },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    nodeAllocatableResourceClaimStatuses: { strategy: 'merge', mergeKey: 'resourceClaimName' },
  }),
  ...forModel('V1ContainerStatus', {
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
    allocatedResourcesStatus: byName,
  }),
  ...forModel('V1NodeAllocatableResourceClaimStatus', { containers: { listType: 'set' } }),
  ...forModel('V1PersistentVolumeClaimStatus', { conditions: byType }),
  ...forModel('V1ReplicationControllerSpec', { selector: { atomicMap: true } }),
  ...forModel('V1ReplicationControllerStatus', { conditions: byType }),
  ...forModel('V1ServiceSpec', {
    ports: { strategy: 'merge', mergeKey: 'port', listMapKeys: ['port', 'protocol'] },
    selector: { atomicMap: true },
  }),
  ...forModel('V1ServiceStatus', { conditions: byType }),
  ...forModel('V1ServiceAccount', { secrets: byName }),
  ...forModel('V1NodeSpec', { podCIDRs: { strategy: 'merge' } }),
  ...forModel('V1NodeStatus', { conditions: byType, addresses: byType }),
  ...forModel('V1NamespaceStatus', { conditions: byType }),
  ...forModel('V1ComponentStatus', { conditions: byType }),
  // apps/v1
  ...forModel('V1DeploymentSpec', { strategy: { strategy: 'retainKeys' } }),
  ...forModel('V1DeploymentStatus', { conditions: byType }),
  ...forModel('V1ReplicaSetStatus', { conditions: byType }),
  ...forModel('V1StatefulSetStatus', { conditions: byType }),
  ...forModel('V1DaemonSetStatus', { conditions: byType }),
  // autoscaling/v2, networking/v1, policy/v1, batch/v1, discovery/v1
  ...forModel('V2HorizontalPodAutoscalerStatus', { conditions: byType }),
  ...forModel('V1ServiceCIDRStatus', { conditions: byType }),
  ...forModel('V1PodDisruptionBudgetSpec', { selector: { strategy: 'replace' } }),
  ...forModel('V1PodDisruptionBudgetStatus', { conditions: byType }),
  ...forModel('V1JobStatus', { conditions: { ...byType, listType: 'atomic' } }),
  ...forModel('V1UncountedTerminatedPods', {
    succeeded: { listType: 'set' },
    failed: { listType: 'set' },
  }),
  ...forModel('V1PodFailurePolicyOnExitCodesRequirement', { values: { listType: 'set' } }),
  ...forModel('V1Endpoint', { addresses: { listType: 'set' } }),
]);

/** Types marked +structType=atomic: server-side apply owns them as a whole. */
export const ATOMIC_STRUCTS: ReadonlySet<string> = new Set([
  'V1LabelSelector',
  'V1OwnerReference',
  'V1ObjectReference',
  'V1LocalObjectReference',
  'V1TypedLocalObjectReference',
  'V1SecretReference',
  'V1ObjectFieldSelector',
  'V1ResourceFieldSelector',
  'V1ConfigMapKeySelector',
  'V1SecretKeySelector',
  'V1FileKeySelector',
  'V1NodeSelector',
  'V1NodeSelectorTerm',
  'V1TopologySelectorTerm',
  'V1ScopeSelector',
  'V1EndpointAddress',
  'CoreV1EndpointPort',
  'DiscoveryV1EndpointPort',
  'V1ServiceBackendPort',
]);

/** Defaults of list-map key fields (from the OpenAPI defaults), used to build item keys. */
export const KEY_DEFAULTS: ReadonlyMap<string, unknown> = new Map([
  ['V1ContainerPort.protocol', 'TCP'],
  ['V1ServicePort.protocol', 'TCP'],
]);

/**
 * Fields that exist even in the Go zero value of their parent (non-pointer structs, and lists
 * without omitempty), besides every root kind's metadata/spec/status. Managed fields never mark
 * them as added, which is why upstream's fieldsV1 has no "." on `f:spec` or `f:template`.
 */
export const VALUE_FIELDS: ReadonlySet<string> = new Set([
  'V1DeploymentSpec.template',
  'V1DeploymentSpec.strategy',
  'V1ReplicaSetSpec.template',
  'V1StatefulSetSpec.template',
  'V1StatefulSetSpec.updateStrategy',
  'V1DaemonSetSpec.template',
  'V1DaemonSetSpec.updateStrategy',
  'V1ReplicationControllerSpec.template',
  'V1JobSpec.template',
  'V1CronJobSpec.jobTemplate',
  'V1JobTemplateSpec.metadata',
  'V1JobTemplateSpec.spec',
  'V1PodTemplateSpec.metadata',
  'V1PodTemplateSpec.spec',
  'V1PodTemplate.template',
  'V1PodSpec.containers',
  'V1Container.resources',
  'V1EphemeralContainer.resources',
  'V1PersistentVolumeClaimSpec.resources',
  'V1ServiceStatus.loadBalancer',
  'V1IngressStatus.loadBalancer',
  'V1HTTPIngressPath.backend',
  'V1IngressServiceBackend.port',
  'V1HorizontalPodAutoscalerSpec.scaleTargetRef',
  'V2HorizontalPodAutoscalerSpec.scaleTargetRef',
  'V2ResourceMetricSource.target',
  'V2ContainerResourceMetricSource.target',
  'V2PodsMetricSource.metric',
  'V2PodsMetricSource.target',
  'V2ObjectMetricSource.describedObject',
  'V2ObjectMetricSource.metric',
  'V2ObjectMetricSource.target',
  'V2ExternalMetricSource.metric',
  'V2ExternalMetricSource.target',
]);
