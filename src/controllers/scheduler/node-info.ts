// Per-node aggregates the filters and scores read (upstream framework.NodeInfo): the pods bound
// there that still hold resources, their summed requests, and the host ports they use.
import type { Pod } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { isPodTerminal } from '../common/pod-util.js';
import { addTo, nodeAllocatable, podRequests } from './resources.js';
import type { Resources } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface NodeInfo {
  node: KubeObject;
  name: string;
  pods: Pod[];
  requested: Resources;
  nonZeroRequested: Resources;
  allocatable: Resources;
  usedPorts: HostPort[];
}

/** The host ports a pod's containers claim; an empty hostIP means every address. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) {
        out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
  }
  return out;
}

/** An empty NodeInfo for node. */
export function newNodeInfo(node: KubeObject): NodeInfo {
  return {
    node,
    name: node.metadata.name ?? '',
    pods: [],
    requested: {},
    nonZeroRequested: {},
    allocatable: nodeAllocatable(node),
    usedPorts: [],
  };
}

/** Accounts pod on info (AddPod). */
export function addPod(info: NodeInfo, pod: Pod): void {
  info.pods.push(pod);
  addTo(info.requested, podRequests(pod));
  addTo(info.nonZeroRequested, podRequests(pod, { nonZero: true }));
  info.usedPorts.push(...podHostPorts(pod));
}

/** A copy of info without the given pods (what preemption would leave). */
export function withoutPods(info: NodeInfo, drop: (pod: Pod) => boolean): NodeInfo {
  const next = newNodeInfo(info.node);
  info.pods.filter((p) => !drop(p)).forEach((p) => addPod(next, p));
  return next;
}

/**
 * NodeInfos for nodes, sorted by name, holding every non-terminal pod bound to them plus the
 * assumed pods (bound by us, not yet seen bound by the informer).
 */
export function buildNodeInfos(
  nodes: KubeObject[],
  pods: KubeObject[],
  assumed: Iterable<Pod>,
): NodeInfo[] {
  const infos = new Map(nodes.map((n) => [n.metadata.name ?? '', newNodeInfo(n)]));
  const seenBound = new Set<string>();
  for (const pod of pods) {
    const nodeName = (pod as Pod).spec?.nodeName;
    if (nodeName) {
      seenBound.add(pod.metadata.uid ?? '');
      addIfHolding(infos.get(nodeName), pod);
    }
  }
  for (const pod of assumed) {
    if (!seenBound.has(pod.metadata.uid ?? '')) {
      addIfHolding(infos.get(pod.spec?.nodeName ?? ''), pod);
    }
  }
  return [...infos.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Finished pods hold nothing on their node. */
function addIfHolding(info: NodeInfo | undefined, pod: Pod): void {
  if (info && !isPodTerminal(pod)) {
    addPod(info, pod);
  }
}
