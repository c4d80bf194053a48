// Protobuf field table: autoscaling/v2 HorizontalPodAutoscaler (metrics, behavior, status).
// Field numbers from k8s.io/api autoscaling/v2 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** autoscalingV2 messages (autoscaling-v2). */
export const autoscalingV2Messages: MessageTable = {
  HorizontalPodAutoscaler: `
    metadata=1:meta.ObjectMeta spec=2:HorizontalPodAutoscalerSpec
    status=3:HorizontalPodAutoscalerStatus`,
  HorizontalPodAutoscalerSpec: `
    scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:int32* maxReplicas=3:int32!
    metrics=4:MetricSpec[] behavior=5:HorizontalPodAutoscalerBehavior`,
  HorizontalPodAutoscalerStatus: `
    observedGeneration=1:int64* lastScaleTime=2:Time currentReplicas=3:int32
    desiredReplicas=4:int32! currentMetrics=5:MetricStatus[]
    conditions=6:HorizontalPodAutoscalerCondition[]`,
  CrossVersionObjectReference: 'kind=1! name=2! apiVersion=3',
  MetricSpec: `
    type=1! object=2:ObjectMetricSource pods=3:PodsMetricSource
    resource=4:ResourceMetricSource external=5:ExternalMetricSource
    containerResource=7:ContainerResourceMetricSource`,
  HorizontalPodAutoscalerBehavior: 'scaleUp=1:HPAScalingRules scaleDown=2:HPAScalingRules',
  MetricStatus: `
    type=1! object=2:ObjectMetricStatus pods=3:PodsMetricStatus
    resource=4:ResourceMetricStatus external=5:ExternalMetricStatus
    containerResource=7:ContainerResourceMetricStatus`,
  HorizontalPodAutoscalerCondition: `
    type=1! status=2! lastTransitionTime=3:Time reason=4 message=5`,
  ObjectMetricSource: `
    describedObject=1:CrossVersionObjectReference target=2:MetricTarget
    metric=3:MetricIdentifier`,
  PodsMetricSource: 'metric=1:MetricIdentifier target=2:MetricTarget',
  ResourceMetricSource: 'name=1! target=2:MetricTarget',
  ExternalMetricSource: 'metric=1:MetricIdentifier target=2:MetricTarget',
  ContainerResourceMetricSource: 'name=1! target=2:MetricTarget container=3!',
  HPAScalingRules: `
    selectPolicy=1* policies=2:HPAScalingPolicy[] stabilizationWindowSeconds=3:int32*
    tolerance=4:Quantity`,
  ObjectMetricStatus: `
    metric=1:MetricIdentifier current=2:MetricValueStatus
    describedObject=3:CrossVersionObjectReference`,
  PodsMetricStatus: 'metric=1:MetricIdentifier current=2:MetricValueStatus',
  ResourceMetricStatus: 'name=1! current=2:MetricValueStatus',
  ExternalMetricStatus: 'metric=1:MetricIdentifier current=2:MetricValueStatus',
  ContainerResourceMetricStatus: 'name=1! current=2:MetricValueStatus container=3!',
  MetricTarget: 'type=1! value=2:Quantity averageValue=3:Quantity averageUtilization=4:int32*',
  MetricIdentifier: 'name=1! selector=2:meta.LabelSelector',
  HPAScalingPolicy: 'type=1! value=2:int32! periodSeconds=3:int32!',
  MetricValueStatus: 'value=1:Quantity averageValue=2:Quantity averageUtilization=3:int32*',
};
