// Every Go API package the protobuf decoder knows, with the kinds (apiVersion + kind) it accepts
// as request bodies. Adding a kind: add its messages to a table file, then its name here.

import type { PackageSchema } from '../schema.js';
import { appsMessages } from './apps.js';
import { authenticationMessages, authorizationMessages } from './auth.js';
import { autoscalingV1Messages } from './autoscaling-v1.js';
import { autoscalingV2Messages } from './autoscaling-v2.js';
import { batchMessages } from './batch.js';
import {
  coordinationMessages,
  discoveryMessages,
  eventsMessages,
  schedulingMessages,
} from './cluster.js';
import { coreContainerMessages } from './core-container.js';
import { coreNodeMessages } from './core-node.js';
import { coreObjectsMessages } from './core-objects.js';
import { corePodMessages } from './core-pod.js';
import { coreVolumeMessages } from './core-volume.js';
import { metaMessages } from './meta.js';
import { networkingMessages } from './networking.js';
import { policyMessages } from './policy.js';
import { rbacMessages } from './rbac.js';

/** The decoder's packages; `*` means the kind is accepted under any apiVersion. */
export const PACKAGES: readonly PackageSchema[] = [
  { name: 'meta', apiVersion: '*', kinds: ['DeleteOptions'], messages: metaMessages },
  {
    name: 'core',
    apiVersion: 'v1',
    kinds: [
      'Pod',
      'PodTemplate',
      'ReplicationController',
      'Service',
      'Namespace',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Endpoints',
      'Event',
      'Node',
      'ResourceQuota',
      'LimitRange',
      'PersistentVolumeClaim',
      'Binding',
    ],
    messages: {
      ...corePodMessages,
      ...coreContainerMessages,
      ...coreVolumeMessages,
      ...coreNodeMessages,
      ...coreObjectsMessages,
    },
  },
  {
    name: 'apps',
    apiVersion: 'apps/v1',
    kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'],
    messages: appsMessages,
  },
  {
    name: 'autoscalingV1',
    apiVersion: 'autoscaling/v1',
    kinds: ['HorizontalPodAutoscaler', 'Scale'],
    messages: autoscalingV1Messages,
  },
  {
    name: 'autoscalingV2',
    apiVersion: 'autoscaling/v2',
    kinds: ['HorizontalPodAutoscaler'],
    messages: autoscalingV2Messages,
  },
  { name: 'batch', apiVersion: 'batch/v1', kinds: ['Job', 'CronJob'], messages: batchMessages },
  {
    name: 'policy',
    apiVersion: 'policy/v1',
    kinds: ['PodDisruptionBudget', 'Eviction'],
    messages: policyMessages,
  },
  {
    name: 'networking',
    apiVersion: 'networking.k8s.io/v1',
    kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'],
    messages: networkingMessages,
  },
  {
    name: 'discovery',
    apiVersion: 'discovery.k8s.io/v1',
    kinds: ['EndpointSlice'],
    messages: discoveryMessages,
  },
  { name: 'events', apiVersion: 'events.k8s.io/v1', kinds: ['Event'], messages: eventsMessages },
  {
    name: 'coordination',
    apiVersion: 'coordination.k8s.io/v1',
    kinds: ['Lease'],
    messages: coordinationMessages,
  },
  {
    name: 'scheduling',
    apiVersion: 'scheduling.k8s.io/v1',
    kinds: ['PriorityClass'],
    messages: schedulingMessages,
  },
  {
    name: 'rbac',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
    messages: rbacMessages,
  },
  {
    name: 'authentication',
    apiVersion: 'authentication.k8s.io/v1',
    kinds: ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
    messages: authenticationMessages,
  },
  {
    name: 'authorization',
    apiVersion: 'authorization.k8s.io/v1',
    kinds: [
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
      'SubjectAccessReview',
      'LocalSubjectAccessReview',
    ],
    messages: authorizationMessages,
  },
];
