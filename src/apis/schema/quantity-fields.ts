// Which client-node fields are resource.Quantity in Kubernetes. client-node types them as plain
// strings, but Kubernetes also accepts JSON numbers there (`cpu: 1`), so validation must know.

/** Quantity fields per client-node class; `list` marks core/v1 ResourceList maps (Go type name). */
const QUANTITY_FIELDS: Record<string, Record<string, 'quantity' | 'list'>> = {
  V1ResourceRequirements: { limits: 'list', requests: 'list' },
  V1VolumeResourceRequirements: { limits: 'list', requests: 'list' },
  V1EmptyDirVolumeSource: { sizeLimit: 'quantity' },
  V1ResourceFieldSelector: { divisor: 'quantity' },
  V1ContainerStatus: { allocatedResources: 'list' },
  V1PodSpec: { overhead: 'list' },
  V1PodStatus: { allocatedResources: 'list' },
  V1NodeStatus: { capacity: 'list', allocatable: 'list' },
  V1PersistentVolumeSpec: { capacity: 'list' },
  V1PersistentVolumeClaimStatus: { capacity: 'list', allocatedResources: 'list' },
  V1LimitRangeItem: {
    max: 'list',
    min: 'list',
    default: 'list',
    defaultRequest: 'list',
    maxLimitRequestRatio: 'list',
  },
  V1ResourceQuotaSpec: { hard: 'list' },
  V1ResourceQuotaStatus: { hard: 'list', used: 'list' },
  V1Overhead: { podFixed: 'list' },
  V1CSIStorageCapacity: { capacity: 'quantity', maximumVolumeSize: 'quantity' },
  V2MetricTarget: { value: 'quantity', averageValue: 'quantity' },
  V2MetricValueStatus: { value: 'quantity', averageValue: 'quantity' },
  V2HPAScalingRules: { tolerance: 'quantity' },
};

/** How a field is a Quantity, or undefined when it is not one. */
export function quantityKind(className: string, jsonName: string): 'quantity' | 'list' | undefined {
  return QUANTITY_FIELDS[className]?.[jsonName];
}

/** The whole table (for tests that check it against client-node). */
export function quantityFieldTable(): Readonly<Record<string, Readonly<Record<string, string>>>> {
  return QUANTITY_FIELDS;
}
