// The kubelet's /stats/summary JSON (k8s.io/kubelet/pkg/apis/stats/v1alpha1), the fields kubeproc
// fills: node and pod CPU and memory. Times are metav1.Time strings (RFC 3339, whole seconds).

/** CPU of a node, pod or container; `usageNanoCores` is absent until two samples exist. */
export interface CPUStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds?: number;
}

/** Memory of a node, pod or container; `availableBytes` only when there is a limit. */
export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

/** One container of a pod. */
export interface ContainerStats {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

/** Enough to find the pod: the summary names pods, it does not embed them. */
export interface PodReference {
  name: string;
  namespace: string;
  uid: string;
}

/** One pod: its containers and their sum. */
export interface PodStats {
  podRef: PodReference;
  startTime: string;
  containers: ContainerStats[];
  cpu?: CPUStats;
  memory?: MemoryStats;
}

/** The whole node. */
export interface NodeStats {
  nodeName: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

/** GET /stats/summary. */
export interface StatsSummary {
  node: NodeStats;
  pods: PodStats[];
}
