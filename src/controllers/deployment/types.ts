// Deployment and ReplicaSet shapes as the deployment controller reads them, the annotation,
// label and condition-reason constants it writes (upstream deployment/util), and field accessors.
import type {
  Deployment as DeploymentObject,
  ReplicaSet as ReplicaSetObject,
} from '../../apis/apps/v1/defaults.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Condition reasons, with upstream's names. */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** spec.progressDeadlineSeconds and revisionHistoryLimit use MaxInt32 to mean "never". */
export const MAX_INT32 = 2147483647;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface DeploymentCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface ReplicaSetCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export interface Deployment extends DeploymentObject {
  status?: DeploymentStatus;
}

export interface ReplicaSet extends ReplicaSetObject {
  status?: ReplicaSetStatus;
}

/** spec.replicas; defaulting makes it present on stored objects. */
export const specReplicas = (obj: Deployment | ReplicaSet | undefined): number =>
  obj?.spec?.replicas ?? 0;

export const statusReplicas = (rs: ReplicaSet | undefined): number => rs?.status?.replicas ?? 0;
export const readyReplicas = (rs: ReplicaSet | undefined): number => rs?.status?.readyReplicas ?? 0;
export const availableReplicas = (rs: ReplicaSet | undefined): number =>
  rs?.status?.availableReplicas ?? 0;

export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export const nameOf = (obj: { metadata: { name?: string } }): string => obj.metadata.name ?? '';
