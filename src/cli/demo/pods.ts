// The facts the demo needs about pods, from `kubectl get pods -o json`: name, uid, readiness,
// restarts and whether the pod is being deleted.

export interface PodFacts {
  name: string;
  uid: string;
  isReady: boolean;
  restarts: number;
  isTerminating: boolean;
}

interface PodJson {
  metadata?: { name?: string; uid?: string; deletionTimestamp?: string };
  status?: {
    conditions?: { type?: string; status?: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}

/** The pods of a `kubectl get pods -o json` list. */
export function parsePodList(json: string): PodFacts[] {
  const list = JSON.parse(json) as { items?: PodJson[] };
  return (list.items ?? []).map((pod) => ({
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    isReady:
      pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    restarts: (pod.status?.containerStatuses ?? []).reduce(
      (sum, c) => sum + (c.restartCount ?? 0),
      0,
    ),
    isTerminating: pod.metadata?.deletionTimestamp !== undefined,
  }));
}

/** Pods that are Ready and not being deleted. */
export function readyPods(pods: PodFacts[]): PodFacts[] {
  return pods.filter((p) => p.isReady && !p.isTerminating);
}

/** CPU per pod in millicores from `kubectl top pods` (`23m`, or whole cores as `1`). */
export function parseTopCpu(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const [name, cpu] = line.trim().split(/\s+/);
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu ?? '');
    if (name !== undefined && m?.[1] !== undefined) {
      out.set(name, Number(m[1]) * (m[2] === 'm' ? 1 : 1000));
    }
  }
  return out;
}
