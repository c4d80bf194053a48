// The Endpoints a Service should have, compared with what it has: a pure function, so the
// controller writes only when subsets, labels or the capacity annotation differ
// (upstream endpoints_controller.go syncService, from "See if there's actually an update").
import type { Pod, Service } from '../../apis/core/v1/types.js';
import {
  formatRFC3339Nano,
  HEADLESS_LABEL,
  isServiceIPSet,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION,
  semanticEqual,
} from './addresses.js';
import { computeSubsets, isOverCapacity, truncateSubsets } from './subsets.js';
import type { EndpointAddress, EndpointSubset, Endpoints } from './types.js';

export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/** The Service's labels, plus the headless label when it has no cluster IP. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (isServiceIPSet(svc)) {
    delete labels[HEADLESS_LABEL];
  } else {
    labels[HEADLESS_LABEL] = '';
  }
  return labels;
}

// Pod resourceVersions in targetRefs must not cause writes (pod annotation updates, say).
function withoutTargetVersions(subsets: EndpointSubset[] | undefined): EndpointSubset[] {
  const strip = (addresses: EndpointAddress[] | undefined) =>
    addresses?.map((a) => {
      if (!a.targetRef?.resourceVersion) {
        return a;
      }
      const { resourceVersion: _rv, ...targetRef } = a.targetRef;
      return { ...a, targetRef };
    });
  return (subsets ?? []).map((s) => ({
    ...s,
    addresses: strip(s.addresses),
    notReadyAddresses: strip(s.notReadyAddresses),
  }));
}

/**
 * The Endpoints to write for svc (create when current is undefined), or undefined when the
 * current object already says the same. triggerMs 0 clears the trigger-time annotation.
 */
export function desiredEndpoints(
  svc: Service,
  pods: Pod[],
  current: Endpoints | undefined,
  triggerMs: number,
): Endpoints | undefined {
  const all = computeSubsets(svc, pods);
  const overCapacity = isOverCapacity(all);
  // Compared after truncation, so a Service beyond capacity is not rewritten on every sync.
  const subsets = truncateSubsets(all);
  const labels = endpointsLabels(svc);
  if (
    current &&
    semanticEqual(withoutTargetVersions(current.subsets), subsets) &&
    semanticEqual(current.metadata.labels, labels) &&
    (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined) === overCapacity
  ) {
    return undefined;
  }
  const next: Endpoints = current
    ? structuredClone(current)
    : {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: svc.metadata.name ?? '', namespace: svc.metadata.namespace ?? '' },
      };
  next.metadata.labels = labels;
  const annotations = { ...(next.metadata.annotations ?? {}) };
  if (triggerMs > 0) {
    annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = formatRFC3339Nano(triggerMs);
  } else {
    delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
  }
  if (overCapacity) {
    annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  } else {
    delete annotations[OVER_CAPACITY_ANNOTATION];
  }
  next.metadata.annotations = annotations;
  next.subsets = subsets;
  return next;
}
