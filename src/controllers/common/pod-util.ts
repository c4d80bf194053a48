// Pod status helpers shared by controllers (upstream pkg/api/v1/pod/util.go).
import type { KubeObject } from '../../apis/meta.js';

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface PodStatusLike {
  phase?: string;
  conditions?: PodCondition[];
}

export function podStatus(pod: KubeObject): PodStatusLike {
  return pod.status ?? {};
}

export function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  return podStatus(pod).conditions?.find((c) => c.type === type);
}

/** Ready condition True. */
export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds at `now` (upstream IsPodAvailable). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') {
    return false;
  }
  if (minReadySeconds <= 0) {
    return true;
  }
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/** Succeeded or Failed: the pod will never run again. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = podStatus(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counted as an active replica: not terminal and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}
