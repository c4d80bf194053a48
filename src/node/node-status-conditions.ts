// The kubelet's node conditions (upstream nodestatus setters MemoryPressureCondition,
// DiskPressureCondition, PIDPressureCondition, ReadyCondition) and the events their changes make.
import { formatTime } from '../apis/meta.js';
import type { MachineInfo } from './machine.js';

// Default --eviction-hard on Linux: pressure conditions watch them, allocatable keeps them back.
export const EVICTION_MEMORY_AVAILABLE_BYTES = 100 * 1024 * 1024;
// Upstream holds these percentages as float32, so 0.1 is really 0.100000001490116.
export const EVICTION_NODEFS_AVAILABLE = Math.fround(0.1);
export const EVICTION_NODEFS_INODES_FREE = Math.fround(0.05);

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What the eviction manager would report against the default hard thresholds. */
export function pressures(m: MachineInfo): { memory: boolean; disk: boolean; pid: boolean } {
  const fs = m.rootFs;
  const disk =
    fs.capacityBytes > 0 &&
    (fs.availableBytes < fs.capacityBytes * EVICTION_NODEFS_AVAILABLE ||
      (fs.inodes > 0 && fs.inodesFree < fs.inodes * EVICTION_NODEFS_INODES_FREE));
  // Linux has no default pid.available threshold, so PIDPressure stays False.
  return { memory: m.memoryAvailableBytes < EVICTION_MEMORY_AVAILABLE_BYTES, disk, pid: false };
}

interface ConditionSpec {
  type: string;
  isTrue: boolean;
  whenTrue: [reason: string, message: string, event: string];
  whenFalse: [reason: string, message: string, event: string];
}

/**
 * kubeproc's own condition, in node-problem-detector's style (True names a problem): present only
 * while pods run without cgroup limits, which Kubernetes nodes never do.
 */
export const NO_RESOURCE_LIMITS = 'NoResourceLimits';

const KUBELET_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
const OWN_CONDITIONS = [...KUBELET_CONDITIONS, NO_RESOURCE_LIMITS];

/** What the node agent knows about itself beyond the machine's figures. */
export interface NodeHealth {
  /** Why pods run without cgroup limits, when they do. */
  resourceLimitsUnavailable?: string;
}

function resourceLimitsSpec(health: NodeHealth): ConditionSpec[] {
  const why = health.resourceLimitsUnavailable;
  if (why === undefined) {
    return [];
  }
  const message = `pods run without cgroup limits (cpu, memory, pids are not enforced): ${why}`;
  const event = 'NodeHasNoResourceLimits';
  return [
    {
      type: NO_RESOURCE_LIMITS,
      isTrue: true,
      whenTrue: ['CgroupsUnavailable', message, event],
      whenFalse: ['CgroupsAvailable', 'pods run with cgroup limits', event],
    },
  ];
}

function conditionSpecs(m: MachineInfo, health: NodeHealth): ConditionSpec[] {
  const p = pressures(m);
  return [
    {
      type: 'MemoryPressure',
      isTrue: p.memory,
      whenTrue: [
        'KubeletHasInsufficientMemory',
        'kubelet has insufficient memory available',
        'NodeHasInsufficientMemory',
      ],
      whenFalse: [
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
        'NodeHasSufficientMemory',
      ],
    },
    {
      type: 'DiskPressure',
      isTrue: p.disk,
      whenTrue: ['KubeletHasDiskPressure', 'kubelet has disk pressure', 'NodeHasDiskPressure'],
      whenFalse: [
        'KubeletHasNoDiskPressure',
        'kubelet has no disk pressure',
        'NodeHasNoDiskPressure',
      ],
    },
    {
      type: 'PIDPressure',
      isTrue: p.pid,
      whenTrue: [
        'KubeletHasInsufficientPID',
        'kubelet has insufficient PID available',
        'NodeHasInsufficientPID',
      ],
      whenFalse: [
        'KubeletHasSufficientPID',
        'kubelet has sufficient PID available',
        'NodeHasSufficientPID',
      ],
    },
    {
      type: 'Ready',
      // Nothing this agent depends on can fail yet: no runtime, network or storage errors.
      isTrue: true,
      whenTrue: ['KubeletReady', 'kubelet is posting ready status', 'NodeReady'],
      whenFalse: ['KubeletNotReady', 'kubelet is not ready', 'NodeNotReady'],
    },
    ...resourceLimitsSpec(health),
  ];
}

/**
 * The four kubelet conditions (and NoResourceLimits while it applies) against the previous ones: heartbeat is always now, transition
 * time moves only when the status does, and each transition yields its node status event.
 */
export function nodeConditions(
  prev: NodeCondition[] | undefined,
  m: MachineInfo,
  now: Date,
  health: NodeHealth = {},
): { conditions: NodeCondition[]; events: string[] } {
  const stamp = formatTime(now);
  const events: string[] = [];
  const conditions = conditionSpecs(m, health).map((spec): NodeCondition => {
    const old = prev?.find((c) => c.type === spec.type);
    const [reason, message, event] = spec.isTrue ? spec.whenTrue : spec.whenFalse;
    const status = spec.isTrue ? 'True' : 'False';
    // A new condition counts as a transition. Upstream's Ready setter stays silent then, but its
    // Ready starts False and flips within seconds, so users always see NodeReady: so do we.
    if (old?.status !== status) {
      events.push(event);
    }
    return {
      type: spec.type,
      status,
      lastHeartbeatTime: stamp,
      lastTransitionTime: old?.status === status ? (old.lastTransitionTime ?? stamp) : stamp,
      reason,
      message,
    };
  });
  // Conditions others own (a node problem detector's) stay, ahead of the kubelet's.
  const kept = (prev ?? []).filter((c) => !OWN_CONDITIONS.includes(c.type));
  return { conditions: [...kept, ...conditions], events };
}
