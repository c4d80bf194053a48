// Writes an HPA's status only when it changed semantically (upstream's updateStatusIfNeeded),
// and kubeproc's one-sentence account of the last decision as an annotation.
import { isDeepStrictEqual } from 'node:util';
import { HPA_FIELD_MANAGER } from '../../apis/autoscaling/types.js';
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerStatus,
} from '../../apis/autoscaling/types.js';
import type { Client } from '../../client/client.js';
import { HPAS } from '../../client/resources.js';

/** PUTs hpa's status subresource when `status` differs from what is stored; true if written. */
export async function writeStatusIfChanged(
  client: Client,
  hpa: HorizontalPodAutoscaler,
  status: HorizontalPodAutoscalerStatus,
): Promise<boolean> {
  const next = normalize(status);
  if (isDeepStrictEqual(normalize(hpa.status ?? {}), next)) {
    return false;
  }
  await client.updateStatus(HPAS, { ...hpa, status: next }, { fieldManager: HPA_FIELD_MANAGER });
  return true;
}

/** Beyond Kubernetes: why the HPA decided what it did, shown by `kubectl describe hpa`. */
export const DECISION_ANNOTATION = 'autoscaling.kubeproc.io/last-decision';

/** Records `explanation` on the HPA when it differs from the recorded one. */
export async function annotateDecision(
  client: Client,
  hpa: HorizontalPodAutoscaler,
  explanation: string,
): Promise<void> {
  if (!explanation || hpa.metadata.annotations?.[DECISION_ANNOTATION] === explanation) {
    return;
  }
  const patch = { metadata: { annotations: { [DECISION_ANNOTATION]: explanation } } };
  await client.patch(HPAS, hpa.metadata.namespace ?? '', hpa.metadata.name ?? '', 'merge', patch, {
    fieldManager: HPA_FIELD_MANAGER,
  });
}

/** Drops undefined fields and empty lists so that `[]` and absent compare equal. */
function normalize(status: HorizontalPodAutoscalerStatus): HorizontalPodAutoscalerStatus {
  const out = JSON.parse(JSON.stringify(status)) as HorizontalPodAutoscalerStatus;
  if (out.currentMetrics?.length === 0 || out.currentMetrics === null) {
    delete out.currentMetrics;
  }
  if (out.conditions?.length === 0) {
    delete out.conditions;
  }
  return out;
}
