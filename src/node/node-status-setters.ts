// The Node a kubelet registers and the status it reports, computed from MachineInfo
// (upstream pkg/kubelet/nodestatus/setters.go and kubelet_node_status.go). Pure: no I/O, no clock.
import type { KubeObject } from '../apis/meta.js';
import { formatBytes } from '../lib/quantity.js';
import type { MachineInfo } from './machine.js';
import {
  EVICTION_MEMORY_AVAILABLE_BYTES,
  EVICTION_NODEFS_AVAILABLE,
  nodeConditions,
} from './node-status-conditions.js';
import type { NodeCondition } from './node-status-conditions.js';

export type { NodeCondition } from './node-status-conditions.js';

export const KUBELET_VERSION = 'v1.32.4';
export const CONTAINER_RUNTIME_VERSION = 'kubeproc://0.1.0';
/** The kubelet's --max-pods default. */
export const DEFAULT_MAX_PODS = 110;
export const DEFAULT_KUBELET_PORT = 10250;

const CMAD_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';

export interface NodeConfig {
  nodeName: string;
  /** The kubernetes.io/hostname label and the Hostname address. */
  hostname: string;
  internalIP: string;
  maxPods: number;
  kubeletPort: number;
  /** Extra labels to register with (--node-labels), such as roles. */
  labels: Record<string, string>;
  /** Why pods run without cgroup limits, when they do (shown as the NoResourceLimits condition). */
  resourceLimitsUnavailable?: string;
}

/** An event the kubelet records about its Node. */
export interface NodeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface NodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: NodeCondition[];
  addresses: { type: string; address: string }[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: Record<string, string>;
}

/** The labels the kubelet owns (updateDefaultLabels); roles only when configured. */
export function defaultLabels(cfg: NodeConfig, m: MachineInfo): Record<string, string> {
  return {
    'kubernetes.io/hostname': cfg.hostname,
    'kubernetes.io/os': m.operatingSystem,
    'kubernetes.io/arch': m.architecture,
  };
}

/** Capacity and allocatable (capacity less the hard eviction thresholds and huge pages). */
export function nodeResources(
  m: MachineInfo,
  maxPods: number,
): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const capacity: Record<string, string> = {
    cpu: String(m.cpuCores),
    'ephemeral-storage': formatBytes(m.rootFs.capacityBytes),
    memory: formatBytes(m.memoryBytes),
    pods: String(maxPods),
  };
  let hugePageBytes = 0;
  for (const hp of m.hugePages) {
    capacity[`hugepages-${formatBytes(hp.sizeBytes)}`] = formatBytes(hp.sizeBytes * hp.count);
    hugePageBytes += hp.sizeBytes * hp.count;
  }
  const storageReserved = Math.trunc(m.rootFs.capacityBytes * EVICTION_NODEFS_AVAILABLE);
  const allocatable = {
    ...capacity,
    'ephemeral-storage': formatBytes(Math.max(0, m.rootFs.capacityBytes - storageReserved)),
    memory: formatBytes(
      Math.max(0, m.memoryBytes - EVICTION_MEMORY_AVAILABLE_BYTES - hugePageBytes),
    ),
  };
  return { capacity, allocatable };
}

/** The message of the kubelet's node status events (recordNodeStatusEvent). */
export function nodeStatusEventMessage(nodeName: string, reason: string): string {
  return `Node ${nodeName} status is now: ${reason}`;
}

/** The full status for this machine; conditions computed against prev. */
export function buildNodeStatus(
  cfg: NodeConfig,
  m: MachineInfo,
  prev: Partial<NodeStatus> | undefined,
  now: Date,
): { status: NodeStatus; events: NodeEvent[] } {
  const { conditions, events: reasons } = nodeConditions(prev?.conditions, m, now, {
    ...(cfg.resourceLimitsUnavailable
      ? { resourceLimitsUnavailable: cfg.resourceLimitsUnavailable }
      : {}),
  });
  const events: NodeEvent[] = [];
  const prevBootID = prev?.nodeInfo?.bootID;
  if (prevBootID && prevBootID !== m.bootID) {
    events.push({
      type: 'Warning',
      reason: 'Rebooted',
      message: `Node ${cfg.nodeName} has been rebooted, boot id: ${m.bootID}`,
    });
  }
  for (const reason of reasons) {
    events.push({ type: 'Normal', reason, message: nodeStatusEventMessage(cfg.nodeName, reason) });
  }
  return {
    status: {
      ...nodeResources(m, cfg.maxPods),
      conditions,
      addresses: [
        { type: 'InternalIP', address: cfg.internalIP },
        { type: 'Hostname', address: cfg.hostname },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
      nodeInfo: {
        machineID: m.machineID,
        systemUUID: m.systemUUID,
        bootID: m.bootID,
        kernelVersion: m.kernelVersion,
        osImage: m.osImage,
        containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: m.operatingSystem,
        architecture: m.architecture,
      },
    },
    events,
  };
}

/** The Node to register (initialNode): labels, the attach/detach annotation and full status. */
export function initialNode(
  cfg: NodeConfig,
  m: MachineInfo,
  now: Date,
): { node: KubeObject; events: NodeEvent[] } {
  const { status, events } = buildNodeStatus(cfg, m, undefined, now);
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.nodeName,
      labels: { ...cfg.labels, ...defaultLabels(cfg, m) },
      annotations: { [CMAD_ANNOTATION]: 'true' },
    },
    spec: {},
    status,
  };
  return { node, events };
}

/**
 * The label and annotation fixes a re-registering kubelet applies to an existing Node
 * (reconcileCMADAnnotationWithExistingNode, updateDefaultLabels); undefined when none.
 */
export function reconcileExistingNode(
  existing: KubeObject,
  cfg: NodeConfig,
  m: MachineInfo,
): KubeObject | undefined {
  const next = structuredClone(existing);
  const labels = (next.metadata.labels ??= {});
  const annotations = (next.metadata.annotations ??= {});
  let isChanged = false;
  for (const [key, value] of Object.entries(defaultLabels(cfg, m))) {
    if (labels[key] !== value) {
      labels[key] = value;
      isChanged = true;
    }
  }
  if (annotations[CMAD_ANNOTATION] !== 'true') {
    annotations[CMAD_ANNOTATION] = 'true';
    isChanged = true;
  }
  return isChanged ? next : undefined;
}

/** Whether two statuses differ in anything but heartbeat times (nodeStatusHasChanged). */
export function nodeStatusHasChanged(a: unknown, b: unknown): boolean {
  return JSON.stringify(withoutHeartbeats(a)) !== JSON.stringify(withoutHeartbeats(b));
}

function withoutHeartbeats(status: unknown): unknown {
  if (!status || typeof status !== 'object') {
    return status;
  }
  const s = status as { conditions?: NodeCondition[] };
  const conditions = (s.conditions ?? [])
    .map(({ lastHeartbeatTime: _, ...rest }) => rest)
    .sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : 0));
  return sortKeys({ ...s, conditions });
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(sortKeys);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
