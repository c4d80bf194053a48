// Protobuf field table: autoscaling/v1 HorizontalPodAutoscaler and Scale.
// Field numbers from k8s.io/api autoscaling/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** autoscalingV1 messages (autoscaling-v1). */
export const autoscalingV1Messages: MessageTable = {
  HorizontalPodAutoscaler: `
    metadata=1:meta.ObjectMeta spec=2:HorizontalPodAutoscalerSpec
    status=3:HorizontalPodAutoscalerStatus`,
  Scale: 'metadata=1:meta.ObjectMeta spec=2:ScaleSpec status=3:ScaleStatus',
  HorizontalPodAutoscalerSpec: `
    scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:int32* maxReplicas=3:int32!
    targetCPUUtilizationPercentage=4:int32*`,
  HorizontalPodAutoscalerStatus: `
    observedGeneration=1:int64* lastScaleTime=2:Time currentReplicas=3:int32!
    desiredReplicas=4:int32! currentCPUUtilizationPercentage=5:int32*`,
  ScaleSpec: 'replicas=1:int32',
  ScaleStatus: 'replicas=1:int32! selector=2',
  CrossVersionObjectReference: 'kind=1! name=2! apiVersion=3',
};
