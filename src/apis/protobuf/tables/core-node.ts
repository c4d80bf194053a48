// Protobuf field table: core/v1 Node with its spec and status.
// Field numbers from k8s.io/api core/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** core messages (core-node). */
export const coreNodeMessages: MessageTable = {
  Node: 'metadata=1:meta.ObjectMeta spec=2:NodeSpec status=3:NodeStatus',
  NodeSpec: `
    podCIDR=1 externalID=2 providerID=3 unschedulable=4:bool taints=5:Taint[]
    configSource=6:NodeConfigSource podCIDRs=7[]`,
  NodeStatus: `
    capacity=1:map<Quantity> allocatable=2:map<Quantity> phase=3 conditions=4:NodeCondition[]
    addresses=5:NodeAddress[] daemonEndpoints=6:NodeDaemonEndpoints nodeInfo=7:NodeSystemInfo
    images=8:ContainerImage[] volumesInUse=9[] volumesAttached=10:AttachedVolume[]
    config=11:NodeConfigStatus runtimeHandlers=12:NodeRuntimeHandler[]
    features=13:NodeFeatures declaredFeatures=14[]`,
  Taint: 'key=1! value=2 effect=3! timeAdded=4:Time',
  NodeConfigSource: 'configMap=2:ConfigMapNodeConfigSource',
  NodeCondition: `
    type=1! status=2! lastHeartbeatTime=3:Time lastTransitionTime=4:Time reason=5 message=6`,
  NodeAddress: 'type=1! address=2!',
  NodeDaemonEndpoints: 'kubeletEndpoint=1:DaemonEndpoint',
  NodeSystemInfo: `
    machineID=1! systemUUID=2! bootID=3! kernelVersion=4! osImage=5!
    containerRuntimeVersion=6! kubeletVersion=7! kubeProxyVersion=8! operatingSystem=9!
    architecture=10! swap=11:NodeSwapStatus`,
  ContainerImage: 'names=1[] sizeBytes=2:int64',
  AttachedVolume: 'name=1! devicePath=2!',
  NodeConfigStatus: `
    assigned=1:NodeConfigSource active=2:NodeConfigSource lastKnownGood=3:NodeConfigSource
    error=4`,
  NodeRuntimeHandler: 'name=1! features=2:NodeRuntimeHandlerFeatures',
  NodeFeatures: 'supplementalGroupsPolicy=1:bool*',
  ConfigMapNodeConfigSource: 'namespace=1! name=2! uid=3 resourceVersion=4 kubeletConfigKey=5!',
  DaemonEndpoint: 'Port=1:int32!',
  NodeSwapStatus: 'capacity=1:int64*',
  NodeRuntimeHandlerFeatures: 'recursiveReadOnlyMounts=1:bool* userNamespaces=2:bool*',
};
