// One scheduling attempt for one pod key (upstream schedule_one.go): decide, assume, bind, and
// report the outcome as the PodScheduled condition and a Scheduled/FailedScheduling event.
import type { Logger } from 'pino';
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import type { Client } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Lister } from '../../client/informer.js';
import { splitKey } from '../../client/informer.js';
import { PODS } from '../../client/resources.js';
import type { Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import { isPodTerminal } from '../common/pod-util.js';
import { buildNodeInfos } from './node-info.js';
import { writePodCondition } from './pod-condition.js';
import { schedulePod } from './schedule-pod.js';
import type { SchedulingBackoff } from './scheduling-queue.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
// validation.NoteLengthLimit: event messages are cut to this.
const NOTE_LENGTH_LIMIT = 1024;

export interface SyncContext {
  client: Client;
  podLister: Lister;
  nodeLister: Lister;
  recorder: EventRecorder;
  backoff: SchedulingBackoff;
  /** Pods bound by us that the informer has not shown bound yet, by key. */
  assumed: Map<string, Pod>;
  bind(pod: KubeObject, nodeName: string): Promise<void>;
  clock: Clock;
  log: Logger;
}

/** Whether this scheduler should place pod now: unbound, ours, alive, not finished. */
export function isPendingForUs(pod: Pod): boolean {
  const spec = pod.spec ?? {};
  return (
    !spec.nodeName &&
    (spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME &&
    !pod.metadata.deletionTimestamp &&
    !isPodTerminal(pod)
  );
}

function truncateMessage(message: string): string {
  const suffix = ' ...';
  return message.length <= NOTE_LENGTH_LIMIT
    ? message
    : message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** Schedules the pod named by key, if it still waits for a node. */
export async function scheduleOne(ctx: SyncContext, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const pod: Pod | undefined = ctx.podLister.get(namespace, name);
  if (!pod || !isPendingForUs(pod)) {
    ctx.backoff.forget(key);
    return;
  }
  if (pod.spec?.schedulingGates?.length) {
    // Upstream's API server marks gated pods PodScheduled=False/SchedulingGated on create; the
    // scheduler only waits. An update lifting the gates brings the pod back.
    ctx.backoff.forget(key);
    return;
  }
  const cycle = ctx.backoff.startAttempt(key);
  const infos = buildNodeInfos(ctx.nodeLister.list(), ctx.podLister.list(), ctx.assumed.values());
  const result = schedulePod(pod, infos);
  switch (result.kind) {
    case 'fit':
      await bindPod(ctx, key, pod, result.nodeName);
      return;
    case 'unschedulable':
      ctx.backoff.parkUnschedulable(key, cycle);
      await reportFailure(ctx, pod, 'Unschedulable', result.message);
      return;
    case 'error':
      ctx.backoff.requeueWithBackoff(key);
      await reportFailure(ctx, pod, 'SchedulerError', result.message);
      return;
  }
}

async function reportFailure(
  ctx: SyncContext,
  pod: Pod,
  reason: 'Unschedulable' | 'SchedulerError',
  message: string,
): Promise<void> {
  ctx.log.debug(
    { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, message },
    'unable to schedule pod',
  );
  ctx.recorder.event(pod, 'Warning', 'FailedScheduling', truncateMessage(message));
  await writePodCondition(
    ctx.client,
    structuredClone(pod),
    { type: 'PodScheduled', status: 'False', reason, message },
    ctx.clock.now(),
  );
}

async function bindPod(ctx: SyncContext, key: string, pod: Pod, nodeName: string): Promise<void> {
  const assumedPod = structuredClone(pod);
  assumedPod.spec = { ...assumedPod.spec, nodeName };
  ctx.assumed.set(key, assumedPod);
  try {
    await ctx.bind(pod, nodeName);
  } catch (err) {
    ctx.assumed.delete(key);
    await handleBindError(ctx, key, pod, err);
    return;
  }
  ctx.backoff.forget(key);
  const { namespace = '', name = '' } = pod.metadata;
  ctx.recorder.event(
    pod,
    'Normal',
    'Scheduled',
    `Successfully assigned ${namespace}/${name} to ${nodeName}`,
  );
  try {
    // Upstream's binding subresource sets this condition itself; until ours does, we write it.
    const fresh = await ctx.client.get(PODS, namespace, name);
    await writePodCondition(
      ctx.client,
      fresh,
      { type: 'PodScheduled', status: 'True' },
      ctx.clock.now(),
    );
  } catch (err) {
    ctx.log.warn({ err, pod: key }, 'could not set PodScheduled after binding');
  }
}

async function handleBindError(
  ctx: SyncContext,
  key: string,
  pod: Pod,
  err: unknown,
): Promise<void> {
  const { namespace = '', name = '' } = pod.metadata;
  const fresh = await ctx.client.get(PODS, namespace, name).catch((e: unknown) => {
    if (isNotFound(e)) {
      return undefined;
    }
    throw e;
  });
  if (!fresh || !isPendingForUs(fresh)) {
    // Bound by someone else, deleted or finished meanwhile: nothing left to do.
    ctx.backoff.forget(key);
    return;
  }
  const why = err instanceof Error ? err.message : String(err);
  ctx.backoff.requeueWithBackoff(key);
  await reportFailure(ctx, fresh, 'SchedulerError', `running Bind plugin "DefaultBinder": ${why}`);
}
