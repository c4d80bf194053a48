// Protobuf field table: meta/v1 ObjectMeta and its parts, LabelSelector, Condition, DeleteOptions.
// Field numbers from k8s.io/apimachinery pkg/apis/meta/v1 generated.proto (v0.36), flags from
// the Go types; the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** meta messages (meta). */
export const metaMessages: MessageTable = {
  DeleteOptions: `
    gracePeriodSeconds=1:int64* preconditions=2:Preconditions orphanDependents=3:bool*
    propagationPolicy=4* dryRun=5[] ignoreStoreReadErrorWithClusterBreakingPotential=6:bool*`,
  ObjectMeta: `
    name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:int64
    creationTimestamp=8:Time deletionTimestamp=9:Time deletionGracePeriodSeconds=10:int64*
    labels=11:map annotations=12:map ownerReferences=13:OwnerReference[] finalizers=14[]
    managedFields=17:ManagedFieldsEntry[]`,
  Preconditions: 'uid=1* resourceVersion=2*',
  OwnerReference: `
    kind=1! name=3! uid=4! apiVersion=5! controller=6:bool* blockOwnerDeletion=7:bool*`,
  ManagedFieldsEntry: `
    manager=1 operation=2 apiVersion=3 time=4:Time fieldsType=6 fieldsV1=7:FieldsV1
    subresource=8`,
  Condition: `
    type=1! status=2! observedGeneration=3:int64 lastTransitionTime=4:Time reason=5!
    message=6!`,
  LabelSelector: 'matchLabels=1:map matchExpressions=2:LabelSelectorRequirement[]',
  LabelSelectorRequirement: 'key=1! operator=2! values=3[]',
  FieldSelectorRequirement: 'key=1! operator=2! values=3[]',
};
