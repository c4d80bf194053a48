// Sorting the selected pods into ready / unready / missing / ignored (groupPods), their resource
// requests (calculateRequests) and the Running-and-Ready count used by Object/External Value targets.
import type { Container, Pod } from '../apis/core/v1/types.js';
import { milliValue } from './milli.js';
import type { PodSamples } from './samples.js';
import { MetricError, timeMs } from './samples.js';

/** The result of groupPods; the sets hold pod names. */
export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** The timing flags the CPU readiness rules use. */
export interface ReadinessTiming {
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
  nowMs: number;
}

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

function podPhase(pod: Pod): string {
  const phase = pod.status?.phase;
  return typeof phase === 'string' ? phase : '';
}

function readyCondition(pod: Pod): PodCondition | undefined {
  const conditions = pod.status?.conditions;
  return Array.isArray(conditions)
    ? (conditions as PodCondition[]).find((c) => c.type === 'Ready')
    : undefined;
}

/** podutil.IsPodReady. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

function isIgnored(pod: Pod): boolean {
  const phase = podPhase(pod);
  return pod.metadata.deletionTimestamp != null || phase === 'Failed' || phase === 'Succeeded';
}

/** The CPU-only test: still initializing with a stale sample, or never became ready. */
function isUnreadyCpu(
  pod: Pod,
  timestampMs: number,
  windowMs: number,
  t: ReadinessTiming,
): boolean {
  const condition = readyCondition(pod);
  const startTime = pod.status?.startTime;
  if (condition === undefined || startTime == null) {
    return true;
  }
  const startMs = timeMs(startTime);
  const transitionMs = timeMs(condition.lastTransitionTime);
  if (startMs + t.cpuInitializationPeriodMs > t.nowMs) {
    return condition.status === 'False' || timestampMs < transitionMs + windowMs;
  }
  return condition.status === 'False' && startMs + t.initialReadinessDelayMs > transitionMs;
}

/** groupPods: readiness rules by time apply only when `resource` is cpu. */
export function groupPods(
  pods: readonly Pod[],
  samples: PodSamples,
  resource: string,
  timing: ReadinessTiming,
): PodGroups {
  const groups: PodGroups = {
    readyPodCount: 0,
    unready: new Set(),
    missing: new Set(),
    ignored: new Set(),
  };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const sample = samples.get(name);
    if (isIgnored(pod)) {
      groups.ignored.add(name);
    } else if (podPhase(pod) === 'Pending') {
      groups.unready.add(name);
    } else if (sample === undefined) {
      groups.missing.add(name);
    } else if (
      resource === 'cpu' &&
      isUnreadyCpu(pod, sample.timestampMs, sample.windowMs, timing)
    ) {
      groups.unready.add(name);
    } else {
      groups.readyPodCount++;
    }
  }
  return groups;
}

function podLevelRequest(pod: Pod, resource: string): bigint | undefined {
  const resources = pod.spec?.resources as
    { requests?: Record<string, string | number> } | undefined;
  const requests = resources?.requests;
  if (requests == null || !('cpu' in requests || 'memory' in requests)) {
    return undefined;
  }
  const value = requests[resource];
  if (value == null) {
    throw new MetricError(
      `missing pod-level request for ${resource} in Pod ${pod.metadata.name ?? ''}`,
    );
  }
  return milliValue(value);
}

function requestOf(c: Container, resource: string, podName: string): bigint {
  const value = c.resources?.requests?.[resource];
  if (value == null) {
    throw new MetricError(
      `missing request for ${resource} in container ${c.name ?? ''} of Pod ${podName}`,
    );
  }
  return milliValue(value);
}

function containerRequests(pod: Pod, container: string, resource: string): bigint {
  const podName = pod.metadata.name ?? '';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...sidecars];
  let request = 0n;
  for (const c of containers) {
    if (container === '' || container === c.name) {
      request += requestOf(c, resource, podName);
    }
    if (container !== '' && container === c.name) {
      return request;
    }
  }
  if (container !== '') {
    throw new MetricError(`container ${container} not found in Pod ${podName}`);
  }
  return request;
}

/**
 * calculateRequests: per pod, the pod-level request (PodLevelResources, untargeted container)
 * or the sum of its containers' and sidecars' requests. Any missing request is an error.
 */
export function calculateRequests(
  pods: readonly Pod[],
  container: string,
  resource: string,
): Map<string, bigint> {
  const requests = new Map<string, bigint>();
  for (const pod of pods) {
    const podLevel = container === '' ? podLevelRequest(pod, resource) : undefined;
    requests.set(pod.metadata.name ?? '', podLevel ?? containerRequests(pod, container, resource));
  }
  return requests;
}

/** getReadyPodsCount: pods in phase Running with Ready=True. */
export function readyPodsCount(pods: readonly Pod[]): number {
  if (pods.length === 0) {
    throw new MetricError('no pods returned by selector while calculating replica count');
  }
  return pods.filter((p) => podPhase(p) === 'Running' && isPodReady(p)).length;
}
