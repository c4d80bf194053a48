// The Filter plugins of the default profile that apply here, in upstream order: NodeUnschedulable,
// TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit. Pure; messages are upstream's.
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { podHostPorts } from './node-info.js';
import type { HostPort, NodeInfo } from './node-info.js';
import { podRequests } from './resources.js';
import { matchesNodeSelector } from './node-affinity.js';

export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** Why a node cannot take the pod; absent when it can. */
export interface FilterStatus {
  code: FilterCode;
  reasons: string[];
}

export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const ERR_TOO_MANY_PODS = 'Too many pods';

export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

const tolerations = (pod: Pod): Toleration[] => (pod.spec?.tolerations ?? []) as Toleration[];

/** Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) {
    return false;
  }
  if (t.key && t.key !== taint.key) {
    return false;
  }
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * The node's taints plus the one the node lifecycle controller would add for its Ready
 * condition (not-ready for False, unreachable for Unknown or missing), which kubeproc has no
 * controller to add: a node that is not Ready takes no new pods unless they tolerate it.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = [...((node.spec as { taints?: Taint[] } | undefined)?.taints ?? [])];
  const conditions = (node.status as { conditions?: { type: string; status?: string }[] })
    ?.conditions;
  const ready = conditions?.find((c) => c.type === 'Ready')?.status;
  const implied =
    ready === 'True' ? undefined : ready === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
  if (implied && !taints.some((t) => t.key === implied && t.effect === 'NoSchedule')) {
    taints.push({ key: implied, effect: 'NoSchedule' });
  }
  return taints;
}

/** NodeUnschedulable: a cordoned node, unless the pod tolerates the unschedulable taint. */
export function filterUnschedulable(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  const isCordoned = (info.node.spec as { unschedulable?: boolean } | undefined)?.unschedulable;
  const taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
  if (isCordoned && !tolerations(pod).some((t) => toleratesTaint(t, taint))) {
    return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_UNSCHEDULABLE] };
  }
  return undefined;
}

/** TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate. */
export function filterTaints(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  const untolerated = effectiveTaints(info.node).find(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations(pod).some((t) => toleratesTaint(t, taint)),
  );
  if (!untolerated) {
    return undefined;
  }
  const reason = `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  return { code: 'UnschedulableAndUnresolvable', reasons: [reason] };
}

/** NodeAffinity: spec.nodeSelector and required node affinity. */
export function filterNodeAffinity(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  return matchesNodeSelector(pod, info.node)
    ? undefined
    : { code: 'UnschedulableAndUnresolvable', reasons: [ERR_NODE_AFFINITY] };
}

function portsConflict(a: HostPort, b: HostPort): boolean {
  const anyIp = a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
  return a.protocol === b.protocol && a.port === b.port && (anyIp || a.ip === b.ip);
}

/** NodePorts: host ports already taken on the node. */
export function filterNodePorts(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  const wanted = podHostPorts(pod);
  const isTaken = wanted.some((w) => info.usedPorts.some((u) => portsConflict(w, u)));
  return isTaken ? { code: 'Unschedulable', reasons: [ERR_NODE_PORTS] } : undefined;
}

const FIXED_ORDER = ['cpu', 'memory', 'ephemeral-storage'];

/** NodeResourcesFit: pod count, then each requested resource against what is left. */
export function filterResources(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  const reasons: string[] = [];
  if (info.pods.length + 1 > (info.allocatable.pods ?? 0)) {
    reasons.push(ERR_TOO_MANY_PODS);
  }
  const req = podRequests(pod);
  const names = Object.keys(req).filter((n) => n !== 'pods' && (req[n] ?? 0) > 0);
  const ordered = [
    ...FIXED_ORDER.filter((n) => names.includes(n)),
    ...names.filter((n) => !FIXED_ORDER.includes(n)).sort(),
  ];
  for (const name of ordered) {
    const free = (info.allocatable[name] ?? 0) - (info.requested[name] ?? 0);
    if ((req[name] ?? 0) > free) {
      reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons.length ? { code: 'Unschedulable', reasons } : undefined;
}

const FILTERS = [
  filterUnschedulable,
  filterTaints,
  filterNodeAffinity,
  filterNodePorts,
  filterResources,
];

/** Runs the filters in order and stops at the first that rejects, as the framework does. */
export function runFilters(pod: Pod, info: NodeInfo): FilterStatus | undefined {
  for (const filter of FILTERS) {
    const status = filter(pod, info);
    if (status) {
      return status;
    }
  }
  return undefined;
}
