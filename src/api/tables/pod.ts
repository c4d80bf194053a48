// Table printer for pods: READY, the aggregate STATUS (init containers, waiting/terminated
// reasons, Terminating) and RESTARTS with "(5m ago)", as printPod in Kubernetes 1.32 renders them.
import type { KubeObject } from '../../apis/meta.js';
import { humanDuration, parseTime } from './duration.js';
import { age, column, nameColumn, nameOf, printer, ageColumn, wideColumn } from './common.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string; restartPolicy?: string }[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
    conditions?: { type: string; status?: string; reason?: string }[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** Restart bookkeeping: a count and the newest lastState.terminated.finishedAt (ms). */
interface Restarts {
  count: number;
  lastAt: number | undefined;
}

function addRestarts(into: Restarts, c: ContainerStatus): void {
  into.count += c.restartCount ?? 0;
  const finished = parseTime(c.lastState?.terminated?.finishedAt);
  if (finished !== undefined && (into.lastAt === undefined || finished > into.lastAt)) {
    into.lastAt = finished;
  }
}

function conditionStatus(pod: Pod, type: string): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === type)?.status;
}

function terminatedReason(t: NonNullable<ContainerState['terminated']>, prefix: string): string {
  if (t.reason) {
    return prefix + t.reason;
  }
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

interface InitScan {
  reason?: string;
  ready: number;
  all: Restarts;
  sidecars: Restarts;
}

/** What one init container says: a STATUS while it holds up initialisation, READY otherwise. */
function initContainerState(
  c: ContainerStatus,
  position: string,
  isSidecar: boolean,
): { reason?: string; ready: number } {
  const terminated = c.state?.terminated;
  if (terminated && !terminated.exitCode) {
    return { ready: 0 };
  }
  // A started sidecar (restartPolicy: Always) no longer blocks the containers after it.
  if (isSidecar && c.started === true) {
    return { ready: Number(c.ready === true) };
  }
  if (terminated) {
    return { reason: terminatedReason(terminated, 'Init:'), ready: 0 };
  }
  const waiting = c.state?.waiting?.reason;
  if (waiting && waiting !== 'PodInitializing') {
    return { reason: `Init:${waiting}`, ready: 0 };
  }
  return { reason: `Init:${position}`, ready: 0 };
}

/** Walks init containers in order and stops at the first one that has not completed. */
function scanInitContainers(pod: Pod): InitScan {
  const specs = pod.spec?.initContainers ?? [];
  const sidecars = new Set(specs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const scan: InitScan = {
    ready: 0,
    all: { count: 0, lastAt: undefined },
    sidecars: { count: 0, lastAt: undefined },
  };
  for (const [i, c] of (pod.status?.initContainerStatuses ?? []).entries()) {
    addRestarts(scan.all, c);
    if (sidecars.has(c.name)) {
      addRestarts(scan.sidecars, c);
    }
    const state = initContainerState(c, `${i}/${specs.length}`, sidecars.has(c.name));
    scan.ready += state.ready;
    if (state.reason !== undefined) {
      scan.reason = state.reason;
      break;
    }
  }
  return scan;
}

interface AppScan {
  reason: string;
  ready: number;
  hasRunning: boolean;
}

/** Walks app containers last to first, so the first container's state has the final say. */
function scanAppContainers(pod: Pod, reason: string, restarts: Restarts): AppScan {
  const scan: AppScan = { reason, ready: 0, hasRunning: false };
  const statuses = pod.status?.containerStatuses ?? [];
  for (const c of [...statuses].reverse()) {
    addRestarts(restarts, c);
    const { waiting, terminated, running } = c.state ?? {};
    if (waiting?.reason) {
      scan.reason = waiting.reason;
    } else if (terminated) {
      scan.reason = terminatedReason(terminated, '');
    } else if (c.ready && running) {
      scan.hasRunning = true;
      scan.ready++;
    }
  }
  return scan;
}

function initialReason(pod: Pod): string {
  const status = pod.status ?? {};
  const gated = status.conditions?.some(
    (c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated',
  );
  return gated ? 'SchedulingGated' : status.reason || status.phase || '';
}

/** A deleted pod reads Terminating unless it already finished, or Unknown when its node is lost. */
function deletionReason(pod: Pod, reason: string): string {
  if (!pod.metadata.deletionTimestamp) {
    return reason;
  }
  const { reason: podReason, phase } = pod.status ?? {};
  if (podReason === 'NodeLost') {
    return 'Unknown';
  }
  return phase === 'Succeeded' || phase === 'Failed' ? reason : 'Terminating';
}

/** STATUS, READY count and RESTARTS of a pod, following upstream printPod. */
function podSummary(pod: Pod): { reason: string; ready: number; restarts: Restarts } {
  const init = scanInitContainers(pod);
  let reason = init.reason ?? initialReason(pod);
  let ready = init.ready;
  let restarts = init.all;
  if (init.reason === undefined || conditionStatus(pod, 'Initialized') === 'True') {
    // Once initialised, only sidecar restarts still count next to the app containers'.
    restarts = { ...init.sidecars };
    const app = scanAppContainers(pod, reason, restarts);
    ready += app.ready;
    reason = app.reason;
    if (reason === 'Completed' && app.hasRunning) {
      reason = conditionStatus(pod, 'Ready') === 'True' ? 'Running' : 'NotReady';
    }
  }
  return { reason: deletionReason(pod, reason), ready, restarts };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) {
    return '<none>';
  }
  const passed = gates.filter((g) => conditionStatus(pod, g.conditionType) === 'True').length;
  return `${passed}/${gates.length}`;
}

function podIP(pod: Pod): string {
  // The v1 -> internal conversion makes status.podIP authoritative over podIPs[0].
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || '<none>';
}

function podCells(obj: KubeObject, now: Date): unknown[] {
  const pod = obj as Pod;
  const { reason, ready, restarts } = podSummary(pod);
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const total = (pod.spec?.containers ?? []).length + sidecars.length;
  let restartsText = String(restarts.count);
  if (restarts.count !== 0 && restarts.lastAt !== undefined) {
    restartsText = `${restarts.count} (${humanDuration(now.getTime() - restarts.lastAt)} ago)`;
  }
  return [
    nameOf(pod),
    `${ready}/${total}`,
    reason,
    restartsText,
    age(pod, now),
    podIP(pod),
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

/** Printer for `pods`. */
export const podPrinter = printer(
  [
    nameColumn(),
    column('Ready', 'string', 'Ready containers out of all containers.'),
    column('Status', 'string', 'Aggregate status of the pod and its containers.'),
    column('Restarts', 'string', 'Container restarts, and how long ago the last one was.'),
    ageColumn(),
    wideColumn('IP', 'string', 'The pod IP address.'),
    wideColumn('Node', 'string', 'The node the pod is bound to.'),
    wideColumn('Nominated Node', 'string', 'The node the scheduler nominated after preemption.'),
    wideColumn('Readiness Gates', 'string', 'Readiness gates that are satisfied.'),
  ],
  podCells,
);
