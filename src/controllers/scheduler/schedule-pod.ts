// One scheduling decision, pure (upstream schedule_one.go schedulePod, FitError, the default
// preemption PostFilter's diagnosis and NodeResourcesFit LeastAllocated scoring).
import type { Pod } from '../../apis/core/v1/types.js';
import { runFilters } from './filters.js';
import type { FilterStatus } from './filters.js';
import { withoutPods } from './node-info.js';
import type { NodeInfo } from './node-info.js';
import { podRequests } from './resources.js';

export type ScheduleResult =
  | { kind: 'fit'; nodeName: string }
  /** No node fits: PodScheduled=False reason Unschedulable with this message. */
  | { kind: 'unschedulable'; message: string }
  /** Could not even try (no nodes): reason SchedulerError. */
  | { kind: 'error'; message: string };

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const MAX_NODE_SCORE = 100;

/** FitError.Error(): "0/N nodes are available: <count reason, ...>." then " <postFilter>." */
export function fitErrorMessage(
  numAllNodes: number,
  statuses: FilterStatus[],
  postFilterMessage = '',
): string {
  const histogram = new Map<string, number>();
  for (const s of statuses) {
    for (const reason of s.reasons) {
      histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
    }
  }
  // Go's sort.Strings on "count reason": byte order, so "10 x" sorts before "2 y".
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) {
    msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMessage) {
    msg += ` ${postFilterMessage}.`;
  }
  return msg;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

/**
 * What DefaultPreemption reports when it finds no victims. Nodes rejected for good are not
 * helped by preemption; elsewhere only lower-priority pods could make room. kubeproc does not
 * evict them: where they would make room, the node's own reasons are reported instead.
 */
export function preemptionMessage(
  pod: Pod,
  infos: NodeInfo[],
  statuses: Map<string, FilterStatus>,
): string {
  if (pod.spec?.preemptionPolicy === 'Never') {
    return 'preemption: not eligible due to preemptionPolicy=Never.';
  }
  const candidates: FilterStatus[] = infos.map((info) => {
    const status = statuses.get(info.name);
    if (!status || status.code === 'UnschedulableAndUnresolvable') {
      return { code: 'UnschedulableAndUnresolvable', reasons: [NOT_HELPFUL] };
    }
    const isVictim = (p: Pod): boolean => priorityOf(p) < priorityOf(pod);
    if (!info.pods.some(isVictim)) {
      return { code: 'UnschedulableAndUnresolvable', reasons: [NO_VICTIMS] };
    }
    return runFilters(pod, withoutPods(info, isVictim)) ?? status;
  });
  return `preemption: ${fitErrorMessage(infos.length, candidates)}`;
}

/** LeastAllocated over cpu and memory (weight 1 each), with the non-zero request defaults. */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const req = podRequests(pod, { nonZero: true });
  let total = 0;
  for (const name of ['cpu', 'memory']) {
    const allocatable = info.allocatable[name] ?? 0;
    const requested = (info.nonZeroRequested[name] ?? 0) + (req[name] ?? 0);
    if (allocatable > 0 && requested <= allocatable) {
      total += Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
    }
  }
  return Math.trunc(total / 2);
}

/** Filters every node, then picks the best scoring one (ties: the first by name). */
export function schedulePod(pod: Pod, infos: NodeInfo[]): ScheduleResult {
  if (infos.length === 0) {
    return { kind: 'error', message: ERR_NO_NODES_AVAILABLE };
  }
  const statuses = new Map<string, FilterStatus>();
  const feasible: NodeInfo[] = [];
  for (const info of infos) {
    const status = runFilters(pod, info);
    if (status) {
      statuses.set(info.name, status);
    } else {
      feasible.push(info);
    }
  }
  if (feasible.length === 0) {
    const post = preemptionMessage(pod, infos, statuses);
    return {
      kind: 'unschedulable',
      message: fitErrorMessage(infos.length, [...statuses.values()], post),
    };
  }
  let best = feasible[0] as NodeInfo;
  let bestScore = -1;
  for (const info of feasible) {
    const score = leastAllocatedScore(pod, info);
    if (score > bestScore) {
      [best, bestScore] = [info, score];
    }
  }
  return { kind: 'fit', nodeName: best.name };
}
