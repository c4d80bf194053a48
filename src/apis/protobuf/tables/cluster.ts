// Protobuf field table: discovery.k8s.io/v1 EndpointSlice, events.k8s.io/v1 Event,
// coordination.k8s.io/v1 Lease and scheduling.k8s.io/v1 PriorityClass.
// Field numbers from k8s.io/api generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** discovery messages (cluster). */
export const discoveryMessages: MessageTable = {
  EndpointSlice: `
    metadata=1:meta.ObjectMeta endpoints=2:Endpoint[] ports=3:EndpointPort[] addressType=4!`,
  Endpoint: `
    addresses=1[] conditions=2:EndpointConditions hostname=3* targetRef=4:core.ObjectReference
    deprecatedTopology=5:map nodeName=6* zone=7* hints=8:EndpointHints`,
  EndpointPort: 'name=1* protocol=2* port=3:int32* appProtocol=4*',
  EndpointConditions: 'ready=1:bool* serving=2:bool* terminating=3:bool*',
  EndpointHints: 'forZones=1:ForZone[] forNodes=2:ForNode[]',
  ForZone: 'name=1!',
  ForNode: 'name=1!',
};

/** events messages (cluster). */
export const eventsMessages: MessageTable = {
  Event: `
    metadata=1:meta.ObjectMeta eventTime=2:MicroTime series=3:EventSeries
    reportingController=4 reportingInstance=5 action=6 reason=7
    regarding=8:core.ObjectReference related=9:core.ObjectReference note=10 type=11
    deprecatedSource=12:core.EventSource deprecatedFirstTimestamp=13:Time
    deprecatedLastTimestamp=14:Time deprecatedCount=15:int32`,
  EventSeries: 'count=1:int32! lastObservedTime=2:MicroTime',
};

/** coordination messages (cluster). */
export const coordinationMessages: MessageTable = {
  Lease: 'metadata=1:meta.ObjectMeta spec=2:LeaseSpec',
  LeaseSpec: `
    holderIdentity=1* leaseDurationSeconds=2:int32* acquireTime=3:MicroTime
    renewTime=4:MicroTime leaseTransitions=5:int32* strategy=6* preferredHolder=7*`,
};

/** scheduling messages (cluster). */
export const schedulingMessages: MessageTable = {
  PriorityClass: `
    metadata=1:meta.ObjectMeta value=2:int32! globalDefault=3:bool description=4
    preemptionPolicy=5*`,
};
