// What the metrics server reads from a kubelet's /stats/summary (stats/v1alpha1), and where a
// node's summary comes from: the local node's sampler in-process, nodes/<n>/proxy over HTTP later.

/** CPU of a node or container; `usageNanoCores` is the kubelet's own rate, absent at first. */
export interface SummaryCPU {
  time: string;
  usageNanoCores?: number;
}

/** Memory of a node or container; the working set is what metrics-server reports. */
export interface SummaryMemory {
  time: string;
  workingSetBytes?: number;
}

export interface SummaryContainer {
  name: string;
  cpu?: SummaryCPU;
  memory?: SummaryMemory;
}

export interface SummaryPod {
  podRef: { name: string; namespace: string; uid?: string };
  containers: SummaryContainer[];
}

/** The fields of GET /stats/summary the metrics server uses. */
export interface KubeletSummary {
  node: { nodeName: string; cpu?: SummaryCPU; memory?: SummaryMemory };
  pods: SummaryPod[];
}

/** One node's summary, fetched on every scrape. */
export interface SummarySource {
  nodeName: string;
  /** Resolves with the node's current summary; the signal ends a scrape that takes too long. */
  summary(signal: AbortSignal): Promise<KubeletSummary>;
}
