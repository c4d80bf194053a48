// Protobuf field table: policy/v1 PodDisruptionBudget and Eviction.
// Field numbers from k8s.io/api policy/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** policy messages (policy). */
export const policyMessages: MessageTable = {
  PodDisruptionBudget: `
    metadata=1:meta.ObjectMeta spec=2:PodDisruptionBudgetSpec
    status=3:PodDisruptionBudgetStatus`,
  Eviction: 'metadata=1:meta.ObjectMeta deleteOptions=2:meta.DeleteOptions',
  PodDisruptionBudgetSpec: `
    minAvailable=1:IntOrString selector=2:meta.LabelSelector maxUnavailable=3:IntOrString
    unhealthyPodEvictionPolicy=4*`,
  PodDisruptionBudgetStatus: `
    observedGeneration=1:int64 disruptedPods=2:map<Time> disruptionsAllowed=3:int32!
    currentHealthy=4:int32! desiredHealthy=5:int32! expectedPods=6:int32!
    conditions=7:meta.Condition[]`,
};
