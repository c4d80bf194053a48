// kube-controller-manager's HPA flags, with their defaults; `kubeproc up` sets them by the same names.

/** The HPA controller's settings, in milliseconds where Kubernetes takes durations. */
export interface HPAControllerOptions {
  /** --horizontal-pod-autoscaler-sync-period */
  syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-tolerance */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay */
  initialReadinessDelayMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization */
  downscaleStabilizationWindowMs: number;
  /** --concurrent-horizontal-pod-autoscaler-syncs */
  workers: number;
}

/** Kubernetes' defaults. */
export const DEFAULT_HPA_OPTIONS: HPAControllerOptions = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
  downscaleStabilizationWindowMs: 5 * 60_000,
  workers: 5,
};
