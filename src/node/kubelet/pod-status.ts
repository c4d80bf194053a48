// The pod status the node agent reports, rendered from its container records as the kubelet's
// generateAPIPodStatus does: phase (getPhase), the kubelet-owned conditions, container statuses.
import type { Pod } from '../../apis/core/v1/types.js';
import type { ContainerRecord, TerminatedState } from './container-record.js';

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface StatusContext {
  now: Date;
  podIP: string;
  hostIP: string;
  startTime: string;
  /** The sandbox exists (PodReadyToStartContainers). */
  sandboxReady: boolean;
  /** The pod is being torn down for good: a would-be Running phase becomes terminal. */
  terminal: boolean;
}

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The kubelet's getPhase over the records. */
export function podPhase(
  pod: Pod,
  init: ContainerRecord[],
  app: ContainerRecord[],
  terminal: boolean,
): Phase {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const r of init) {
    const s = r.state;
    if (s.kind === 'running') {
      pendingInit++;
    } else if (s.kind === 'terminated') {
      failedInit += s.terminated.exitCode !== 0 ? 1 : 0;
    } else if (r.lastTerminated) {
      failedInit += r.lastTerminated.exitCode !== 0 ? 1 : 0;
    } else {
      pendingInit++;
    }
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const r of app) {
    const s = r.state;
    if (s.kind === 'running') {
      running++;
    } else if (s.kind === 'terminated') {
      stopped++;
      succeeded += s.terminated.exitCode === 0 ? 1 : 0;
    } else if (r.lastTerminated) {
      stopped++;
    } else {
      waiting++;
    }
  }
  if (failedInit > 0 && policy === 'Never') {
    return 'Failed';
  }
  if (pendingInit > 0 || waiting > 0) {
    return terminal ? 'Failed' : 'Pending';
  }
  if (running > 0 && !terminal) {
    return 'Running';
  }
  if (running > 0) {
    return 'Failed';
  }
  if (stopped === app.length) {
    if (policy === 'Always' && !terminal) {
      return 'Running';
    }
    if (stopped === succeeded) {
      return 'Succeeded';
    }
    if (policy === 'Never' || terminal) {
      return 'Failed';
    }
    return 'Running';
  }
  return 'Pending';
}

function condition(
  type: string,
  ok: boolean,
  previous: PodCondition[],
  now: Date,
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous.find((c) => c.type === type);
  const c: PodCondition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      old && old.status === status
        ? old.lastTransitionTime
        : now.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  if (!ok && reason) {
    c.reason = reason;
  }
  if (!ok && message) {
    c.message = message;
  }
  return c;
}

/** The kubelet-owned conditions, in the order the kubelet writes them. */
export function podConditions(
  pod: Pod,
  init: ContainerRecord[],
  app: ContainerRecord[],
  phase: Phase,
  ctx: StatusContext,
): PodCondition[] {
  const previous = ((pod.status?.conditions ?? []) as PodCondition[]).filter(Boolean);
  const now = ctx.now;
  const done = phase === 'Succeeded' || phase === 'Failed';
  const incompleteInit = init.filter(
    (r) => !(r.state.kind === 'terminated' && r.state.terminated.exitCode === 0),
  );
  const unready = app.filter((r) => !r.ready).map((r) => r.name);
  const initialized = incompleteInit.length === 0;
  const containersReady = unready.length === 0 && !done;
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const out = [
    condition('PodReadyToStartContainers', ctx.sandboxReady && !done, previous, now),
    condition(
      'Initialized',
      initialized,
      previous,
      now,
      'ContainersNotInitialized',
      `containers with incomplete status: [${incompleteInit.map((r) => r.name).join(' ')}]`,
    ),
    condition('Ready', containersReady, previous, now, readyReason, readyMessage),
    condition('ContainersReady', containersReady, previous, now, readyReason, readyMessage),
  ];
  // Conditions the kubelet does not own (PodScheduled, DisruptionTarget ...) are kept as they are.
  const owned = new Set(out.map((c) => c.type));
  return [...out, ...previous.filter((c) => !owned.has(c.type))];
}

function terminatedJson(t: TerminatedState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    containerID: t.containerID,
    exitCode: t.exitCode,
    finishedAt: t.finishedAt,
    reason: t.reason,
  };
  if (t.signal !== undefined) {
    out.signal = t.signal;
  }
  if (t.message) {
    out.message = t.message;
  }
  if (t.startedAt) {
    out.startedAt = t.startedAt;
  }
  return out;
}

/** One ContainerStatus as the API shows it. */
export function containerStatus(r: ContainerRecord): Record<string, unknown> {
  const s = r.state;
  const state =
    s.kind === 'running'
      ? { running: { startedAt: s.running.startedAt } }
      : s.kind === 'terminated'
        ? { terminated: terminatedJson(s.terminated) }
        : { waiting: s.message ? { reason: s.reason, message: s.message } : { reason: s.reason } };
  const out: Record<string, unknown> = {
    image: r.spec.image ?? '',
    imageID: r.imageID,
    lastState: r.lastTerminated ? { terminated: terminatedJson(r.lastTerminated) } : {},
    name: r.name,
    ready: r.ready,
    restartCount: r.restartCount,
    started: s.kind === 'running' && r.started,
    state,
  };
  if (r.containerID) {
    out.containerID = r.containerID;
  }
  return out;
}

/** The whole status the kubelet writes (qosClass and non-kubelet conditions kept). */
export function renderPodStatus(
  pod: Pod,
  init: ContainerRecord[],
  app: ContainerRecord[],
  ctx: StatusContext,
): Record<string, unknown> {
  const old = pod.status ?? {};
  const phase = podPhase(pod, init, app, ctx.terminal);
  const status: Record<string, unknown> = {
    conditions: podConditions(pod, init, app, phase, ctx),
    containerStatuses: app.map(containerStatus),
    hostIP: ctx.hostIP,
    hostIPs: [{ ip: ctx.hostIP }],
    phase,
    startTime: ctx.startTime,
  };
  // No sandbox yet (or its creation failed): the kubelet reports no pod IP.
  if (ctx.podIP !== '') {
    status.podIP = ctx.podIP;
    status.podIPs = [{ ip: ctx.podIP }];
  }
  if (init.length > 0) {
    status.initContainerStatuses = init.map(containerStatus);
  }
  if (old.qosClass !== undefined) {
    status.qosClass = old.qosClass;
  }
  return status;
}
