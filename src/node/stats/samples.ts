// What the sampler serves: the latest reading of a container, pod or the node with its CPU rate,
// built from a reading history (pure), and the sum of a pod's containers.
import type { Reading } from './usage-rate.js';
import { latestRate } from './usage-rate.js';

/** Memory of a node, pod or container at `timestamp`; availableBytes only under a limit. */
export interface MemorySample {
  usageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
  availableBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

/** CPU and memory at one instant; `usageNanoCores` needs two readings of the same run. */
export interface UsageSample {
  timestamp: Date;
  startTime: Date;
  /** CPU rate between the last two readings (metrics-server's usage). */
  usageNanoCores?: number;
  /** Milliseconds between those readings. */
  windowMs?: number;
  /** Cumulative CPU since startTime (cgroup: since the cgroup was created). */
  usageCoreNanoSeconds: number;
  memory: MemorySample;
}

/** Where a container's figures come from. */
export type StatsSource = 'cgroup' | 'proc';

/** One container's latest sample. */
export interface ContainerStatsSample extends UsageSample {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  source: StatsSource;
}

/** One pod: the sum of its containers. */
export interface PodStatsSample extends UsageSample {
  namespace: string;
  pod: string;
  podUid: string;
  containers: ContainerStatsSample[];
}

/** The latest reading of a history with the rate to it; undefined for an empty history. */
export function usageSample(history: readonly Reading[]): UsageSample | undefined {
  const last = history.at(-1);
  if (!last) {
    return undefined;
  }
  const rate = latestRate(history);
  const { limitBytes, ...memory } = last.memory;
  return {
    timestamp: last.timestamp,
    startTime: last.startTime,
    usageNanoCores: rate?.usageNanoCores,
    windowMs: rate?.windowMs,
    usageCoreNanoSeconds: last.usageCoreNanoSeconds,
    memory: {
      ...memory,
      // As the kubelet: the limit minus the working set, only when a limit exists.
      availableBytes:
        limitBytes === undefined ? undefined : Math.max(0, limitBytes - memory.workingSetBytes),
    },
  };
}

function sum(values: (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined)
    ? undefined
    : values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

/**
 * A pod's sample as the sum of its containers (kubeproc has no pod-level reading for process
 * trees). Like metrics-server, the pod has a CPU rate only when every container has one.
 */
export function podSample(
  ref: { namespace: string; pod: string; podUid: string; startTime: Date },
  containers: ContainerStatsSample[],
): PodStatsSample | undefined {
  if (containers.length === 0) {
    return undefined;
  }
  const times = containers.map((c) => c.timestamp.getTime());
  const windows = containers.map((c) => c.windowMs);
  const mem = containers.map((c) => c.memory);
  return {
    ...ref,
    containers,
    timestamp: new Date(Math.max(...times)),
    usageNanoCores: sum(containers.map((c) => c.usageNanoCores)),
    windowMs: windows.some((w) => w === undefined) ? undefined : Math.max(...(windows as number[])),
    usageCoreNanoSeconds: sum(containers.map((c) => c.usageCoreNanoSeconds)) ?? 0,
    memory: {
      usageBytes: sum(mem.map((m) => m.usageBytes)) ?? 0,
      workingSetBytes: sum(mem.map((m) => m.workingSetBytes)) ?? 0,
      rssBytes: sum(mem.map((m) => m.rssBytes)) ?? 0,
      availableBytes: sum(mem.map((m) => m.availableBytes)),
      pageFaults: sum(mem.map((m) => m.pageFaults)),
      majorPageFaults: sum(mem.map((m) => m.majorPageFaults)),
    },
  };
}
