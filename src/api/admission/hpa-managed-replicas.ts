// Beyond Kubernetes: a write that changes spec.replicas of a target an HPA manages gets a
// `Warning:` naming the HPA, since the HPA will silently undo it (kubectl apply resetting the
// HPA's count is a long-standing complaint). The write itself goes through unchanged.
import { HPA_FIELD_MANAGER } from '../../apis/autoscaling/types.js';
import type { HorizontalPodAutoscaler } from '../../apis/autoscaling/types.js';
import type { ResourceType } from '../../apis/resource-type.js';
import type { AdmissionPlugin } from '../rest/context.js';

const HPA_PREFIX = '/autoscaling/horizontalpodautoscalers/';

export const hpaManagedReplicas: AdmissionPlugin = {
  name: 'HPAManagedReplicas',
  handles: (rt) => !!rt.scale,
  admit(req, store) {
    const scale = req.rt.scale;
    if (
      req.operation !== 'UPDATE' ||
      !req.old ||
      !scale ||
      req.fieldManager === HPA_FIELD_MANAGER
    ) {
      return;
    }
    const before = scale.specReplicas(req.old);
    const after = scale.specReplicas(req.object);
    if (before === after) {
      return;
    }
    const namespace = req.object.metadata.namespace ?? '';
    const name = req.object.metadata.name ?? '';
    for (const entry of store.list(`${HPA_PREFIX}${namespace}/`).items) {
      const hpa = entry.object as HorizontalPodAutoscaler;
      if (targets(hpa, req.rt, name)) {
        req.warnings.push(warningFor(req.rt, name, hpa, after));
      }
    }
  },
};

function targets(hpa: HorizontalPodAutoscaler, rt: ResourceType, name: string): boolean {
  const ref = hpa.spec.scaleTargetRef;
  const apiVersion = ref.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return ref.name === name && ref.kind === rt.kind && group === rt.group;
}

function warningFor(
  rt: ResourceType,
  name: string,
  hpa: HorizontalPodAutoscaler,
  replicas: number,
): string {
  const { minReplicas = 1, maxReplicas } = hpa.spec;
  const desired = hpa.status?.desiredReplicas;
  const undo =
    replicas === 0 && minReplicas > 0
      ? 'replicas 0 turns the HPA off until replicas are set again'
      : `the HPA sets replicas${desired !== undefined ? ` back to ${desired}` : ''} at its next sync`;
  return (
    `${rt.kind.toLowerCase()} "${name}" is scaled by HorizontalPodAutoscaler ` +
    `"${hpa.metadata.name ?? ''}" (min ${minReplicas}, max ${maxReplicas}): ${undo}; ` +
    `change the HPA's minReplicas/maxReplicas instead, or leave replicas out of the manifest`
  );
}
