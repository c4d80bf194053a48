// The policy/v1 PodDisruptionBudget fields the disruption controller reads and writes, and the
// constants of its status (k8s.io/api/policy/v1 types.go).
import type { KubeObject, LabelSelector } from '../../apis/meta.js';

export type IntOrString = number | string;

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  /** Pod name → time the eviction subresource let it go (RFC 3339). */
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: {
    minAvailable?: IntOrString | null;
    maxUnavailable?: IntOrString | null;
    selector?: LabelSelector | null;
    unhealthyPodEvictionPolicy?: string | null;
  };
  status?: Partial<PodDisruptionBudgetStatus>;
}

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SYNC_FAILED_REASON = 'SyncFailed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';

/**
 * How long after the eviction subresource lists a pod in disruptedPods the controller expects
 * to see it marked for deletion; after that it counts the pod again (upstream DeletionTimeout).
 */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
