// Protobuf field table: core/v1 Service, Namespace, ConfigMap, Secret, Event and other kinds.
// Field numbers from k8s.io/api core/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** core messages (core-objects). */
export const coreObjectsMessages: MessageTable = {
  ReplicationController: `
    metadata=1:meta.ObjectMeta spec=2:ReplicationControllerSpec
    status=3:ReplicationControllerStatus`,
  Service: 'metadata=1:meta.ObjectMeta spec=2:ServiceSpec status=3:ServiceStatus',
  Namespace: 'metadata=1:meta.ObjectMeta spec=2:NamespaceSpec status=3:NamespaceStatus',
  ConfigMap: 'metadata=1:meta.ObjectMeta data=2:map binaryData=3:map<bytes> immutable=4:bool*',
  Secret: 'metadata=1:meta.ObjectMeta data=2:map<bytes> type=3 stringData=4:map immutable=5:bool*',
  ServiceAccount: `
    metadata=1:meta.ObjectMeta secrets=2:ObjectReference[]
    imagePullSecrets=3:LocalObjectReference[] automountServiceAccountToken=4:bool*`,
  Endpoints: 'metadata=1:meta.ObjectMeta subsets=2:EndpointSubset[]',
  Event: `
    metadata=1:meta.ObjectMeta involvedObject=2:ObjectReference reason=3 message=4
    source=5:EventSource firstTimestamp=6:Time lastTimestamp=7:Time count=8:int32 type=9
    eventTime=10:MicroTime series=11:EventSeries action=12 related=13:ObjectReference
    reportingComponent=14! reportingInstance=15!`,
  ResourceQuota: 'metadata=1:meta.ObjectMeta spec=2:ResourceQuotaSpec status=3:ResourceQuotaStatus',
  LimitRange: 'metadata=1:meta.ObjectMeta spec=2:LimitRangeSpec',
  Binding: 'metadata=1:meta.ObjectMeta target=2:ObjectReference',
  ReplicationControllerSpec: `
    replicas=1:int32* selector=2:map template=3:PodTemplateSpec minReadySeconds=4:int32`,
  ReplicationControllerStatus: `
    replicas=1:int32! fullyLabeledReplicas=2:int32 observedGeneration=3:int64
    readyReplicas=4:int32 availableReplicas=5:int32
    conditions=6:ReplicationControllerCondition[]`,
  ServiceSpec: `
    ports=1:ServicePort[] selector=2:map clusterIP=3 type=4 externalIPs=5[] sessionAffinity=7
    loadBalancerIP=8 loadBalancerSourceRanges=9[] externalName=10 externalTrafficPolicy=11
    healthCheckNodePort=12:int32 publishNotReadyAddresses=13:bool
    sessionAffinityConfig=14:SessionAffinityConfig ipFamilyPolicy=17* clusterIPs=18[]
    ipFamilies=19[] allocateLoadBalancerNodePorts=20:bool* loadBalancerClass=21*
    internalTrafficPolicy=22* trafficDistribution=23*`,
  ServiceStatus: 'loadBalancer=1:LoadBalancerStatus conditions=2:meta.Condition[]',
  NamespaceSpec: 'finalizers=1[]',
  NamespaceStatus: 'phase=1 conditions=2:NamespaceCondition[]',
  ObjectReference: 'kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7',
  EndpointSubset: `
    addresses=1:EndpointAddress[] notReadyAddresses=2:EndpointAddress[] ports=3:EndpointPort[]`,
  EventSource: 'component=1 host=2',
  EventSeries: 'count=1:int32 lastObservedTime=2:MicroTime',
  ResourceQuotaSpec: 'hard=1:map<Quantity> scopes=2[] scopeSelector=3:ScopeSelector',
  ResourceQuotaStatus: 'hard=1:map<Quantity> used=2:map<Quantity>',
  LimitRangeSpec: 'limits=1:LimitRangeItem[]',
  ReplicationControllerCondition: 'type=1! status=2! lastTransitionTime=3:Time reason=4 message=5',
  ServicePort: `
    name=1 protocol=2 port=3:int32! targetPort=4:IntOrString nodePort=5:int32 appProtocol=6*`,
  SessionAffinityConfig: 'clientIP=1:ClientIPConfig',
  LoadBalancerStatus: 'ingress=1:LoadBalancerIngress[]',
  NamespaceCondition: 'type=1! status=2! lastTransitionTime=4:Time reason=5 message=6',
  EndpointAddress: 'ip=1! targetRef=2:ObjectReference hostname=3 nodeName=4*',
  EndpointPort: 'name=1 port=2:int32! protocol=3 appProtocol=4*',
  ScopeSelector: 'matchExpressions=1:ScopedResourceSelectorRequirement[]',
  LimitRangeItem: `
    type=1! max=2:map<Quantity> min=3:map<Quantity> default=4:map<Quantity>
    defaultRequest=5:map<Quantity> maxLimitRequestRatio=6:map<Quantity>`,
  ClientIPConfig: 'timeoutSeconds=1:int32*',
  LoadBalancerIngress: 'ip=1 hostname=2 ipMode=3* ports=4:PortStatus[]',
  ScopedResourceSelectorRequirement: 'scopeName=1! operator=2! values=3[]',
  PortStatus: 'port=1:int32! protocol=2! error=3*',
};
