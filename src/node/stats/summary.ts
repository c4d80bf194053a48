// Samples to the kubelet's /stats/summary JSON: metav1.Time strings, optional fields left out
// when unknown (usageNanoCores before a second reading, availableBytes without a limit).
import type { PodStatsSample, UsageSample } from './samples.js';
import type { CPUStats, MemoryStats, StatsSummary } from './summary-types.js';

/** A Date as metav1.Time serialises it: RFC 3339 in UTC with whole seconds. */
export function metaTime(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function cpuStats(s: UsageSample): CPUStats {
  return {
    time: metaTime(s.timestamp),
    ...(s.usageNanoCores === undefined ? {} : { usageNanoCores: s.usageNanoCores }),
    usageCoreNanoSeconds: s.usageCoreNanoSeconds,
  };
}

function memoryStats(s: UsageSample): MemoryStats {
  const m = s.memory;
  const optional = {
    availableBytes: m.availableBytes,
    pageFaults: m.pageFaults,
    majorPageFaults: m.majorPageFaults,
  };
  return {
    time: metaTime(s.timestamp),
    usageBytes: m.usageBytes,
    workingSetBytes: m.workingSetBytes,
    rssBytes: m.rssBytes,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** The summary of a node and its pods; pods and containers sorted by name for stable output. */
export function buildSummary(
  nodeName: string,
  node: UsageSample | undefined,
  pods: PodStatsSample[],
): StatsSummary {
  const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
  return {
    node: {
      nodeName,
      startTime: metaTime(node?.startTime ?? new Date(0)),
      ...(node ? { cpu: cpuStats(node), memory: memoryStats(node) } : {}),
    },
    pods: pods
      .map((p) => ({
        podRef: { name: p.pod, namespace: p.namespace, uid: p.podUid },
        startTime: metaTime(p.startTime),
        containers: p.containers
          .map((c) => ({
            name: c.container,
            startTime: metaTime(c.startTime),
            cpu: cpuStats(c),
            memory: memoryStats(c),
          }))
          .sort(byName),
        cpu: cpuStats(p),
        memory: memoryStats(p),
      }))
      .sort(
        (a, b) =>
          a.podRef.namespace.localeCompare(b.podRef.namespace) ||
          a.podRef.name.localeCompare(b.podRef.name),
      ),
  };
}
