// One HPA reconcile (upstream's reconcileAutoscaler): read the target's scale, fetch the pods and
// metrics the algorithm needs, let the pure library decide, write the scale, then the status.
import type { Logger } from 'pino';
import { HPA_FIELD_MANAGER } from '../../apis/autoscaling/types.js';
import type { HorizontalPodAutoscaler } from '../../apis/autoscaling/types.js';
import type { KubeObject } from '../../apis/meta.js';
import {
  buildStatus,
  decideScale,
  metricFetchPlan,
  recordGetScaleFailure,
  recordRescaleFailure,
  recordRescaleSuccess,
} from '../../autoscaling/index.js';
import type { HPAEvent, HPAState, RescaleResult, ScaleInfo } from '../../autoscaling/index.js';
import type { Client, ResourceRef } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Lister } from '../../client/informer.js';
import type { Clock } from '../../lib/clock.js';
import { isConflict } from '../../lib/errors.js';
import type { MetricsClient } from './metrics-client.js';
import type { HPAControllerOptions } from './options.js';
import type { ScaleTargetResolver } from './scale-target.js';
import type { SelectorIndex } from './selectors.js';
import { annotateDecision, writeStatusIfChanged } from './status.js';

export interface ReconcileContext {
  client: Client;
  pods: Lister;
  metrics: MetricsClient;
  targets: ScaleTargetResolver;
  selectors: SelectorIndex;
  recorder: EventRecorder;
  clock: Clock;
  options: HPAControllerOptions;
  log: Logger;
}

/** Reconciles one HPA; returns the new in-memory state. Errors are reported, not thrown. */
export async function reconcileHPA(
  ctx: ReconcileContext,
  hpa: HorizontalPodAutoscaler,
  state: HPAState,
): Promise<HPAState> {
  const now = ctx.clock.now();
  const namespace = hpa.metadata.namespace ?? '';
  const target = await readScale(ctx, hpa, namespace);
  if ('error' in target) {
    const failed = recordGetScaleFailure(hpa, target.error, now);
    emit(ctx, hpa, failed.events);
    await writeStatusIfChanged(ctx.client, hpa, { ...hpa.status, conditions: failed.conditions });
    return state;
  }
  const { ref, scale, info } = target;
  const key = `${namespace}/${hpa.metadata.name ?? ''}`;
  ctx.selectors.set(key, info.selector);
  const pods = ctx.selectors.podsOf(ctx.pods, namespace, info.selector);
  const metricData = await Promise.all(
    metricFetchPlan(hpa.spec).map((plan) => ctx.metrics.fetch(plan, namespace, info.selector)),
  );
  const decision = decideScale({
    hpa,
    scale: info,
    pods,
    metricData,
    state,
    now,
    options: ctx.options,
    hpasSelectingPods: ctx.selectors.selecting(namespace, pods),
  });
  emit(ctx, hpa, decision.events);
  let rescaled: RescaleResult | undefined;
  if (decision.rescale) {
    const written = await writeScale(ctx, ref, scale, decision.desiredReplicas);
    const outcome = { hpa, decision, now };
    rescaled = written.ok
      ? recordRescaleSuccess(outcome)
      : recordRescaleFailure({ ...outcome, error: written.error });
    emit(ctx, hpa, rescaled.events);
  }
  if (decision.error) {
    ctx.log.debug({ hpa: key, error: decision.error }, 'HPA reconcile reported an error');
  }
  await writeStatusIfChanged(ctx.client, hpa, buildStatus(hpa, decision, rescaled));
  await annotateDecision(ctx.client, hpa, decision.explanation);
  return rescaled?.state ?? decision.state;
}

type ScaleRead = { ref: ResourceRef; scale: KubeObject; info: ScaleInfo } | { error: string };

async function readScale(
  ctx: ReconcileContext,
  hpa: HorizontalPodAutoscaler,
  namespace: string,
): Promise<ScaleRead> {
  try {
    const ref = await ctx.targets.resolve(hpa.spec.scaleTargetRef);
    const scale = await ctx.client.getScale(ref, namespace, hpa.spec.scaleTargetRef.name);
    const spec = (scale.spec ?? {}) as { replicas?: number };
    const st = (scale.status ?? {}) as { replicas?: number; selector?: string };
    return {
      ref,
      scale,
      info: {
        specReplicas: spec.replicas ?? 0,
        statusReplicas: st.replicas ?? 0,
        selector: st.selector ?? '',
      },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

type ScaleWrite = { ok: true } | { ok: false; error: string };

/** UPDATEs the scale, re-reading it on a conflict (upstream retries on conflict). */
async function writeScale(
  ctx: ReconcileContext,
  ref: ResourceRef,
  scale: KubeObject,
  replicas: number,
): Promise<ScaleWrite> {
  let current = scale;
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.updateScale(ref, { ...current, spec: { replicas } }, MANAGER);
      return { ok: true };
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) {
        return { ok: false, error: (e as Error).message };
      }
      const { namespace = '', name = '' } = current.metadata;
      current = await ctx.client.getScale(ref, namespace, name);
    }
  }
}

const MANAGER = { fieldManager: HPA_FIELD_MANAGER };

function emit(ctx: ReconcileContext, hpa: HorizontalPodAutoscaler, events: HPAEvent[]): void {
  for (const e of events) {
    ctx.recorder.event(hpa, e.type, e.reason, e.message);
  }
}
