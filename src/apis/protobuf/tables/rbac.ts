// Protobuf field table: rbac.authorization.k8s.io/v1 roles and bindings.
// Field numbers from k8s.io/api rbac/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** rbac messages (rbac). */
export const rbacMessages: MessageTable = {
  Role: 'metadata=1:meta.ObjectMeta rules=2:PolicyRule[]',
  ClusterRole: 'metadata=1:meta.ObjectMeta rules=2:PolicyRule[] aggregationRule=3:AggregationRule',
  RoleBinding: 'metadata=1:meta.ObjectMeta subjects=2:Subject[] roleRef=3:RoleRef',
  ClusterRoleBinding: 'metadata=1:meta.ObjectMeta subjects=2:Subject[] roleRef=3:RoleRef',
  PolicyRule: 'verbs=1[] apiGroups=2[] resources=3[] resourceNames=4[] nonResourceURLs=5[]',
  AggregationRule: 'clusterRoleSelectors=1:meta.LabelSelector[]',
  Subject: 'kind=1! apiGroup=2 name=3! namespace=4',
  RoleRef: 'apiGroup=1! kind=2! name=3!',
};
