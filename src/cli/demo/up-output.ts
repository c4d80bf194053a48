// Reads what `kubeproc up` prints at startup: the API URL, the ingress URL, and whether pods get
// their own PID namespace (then `killall python3` inside one pod ends only that pod's python3).

export interface UpSummary {
  apiUrl: string;
  ingressUrl?: string;
  hasPidNamespaces: boolean;
  /** Isolated network mode: each pod has its own IP and binds its containerPort there. */
  hasIsolatedNetwork: boolean;
  /** The `processes:` line, e.g. why there are no PID namespaces. */
  processes?: string;
  /** Whether the `Press Ctrl-C` line, printed once startup is complete, has arrived. */
  isComplete: boolean;
}

const field = (text: string, label: string): string | undefined =>
  new RegExp(`^${label}:\\s+(.*)$`, 'm').exec(text)?.[1]?.trim();

/** The startup summary in `up`'s output so far; undefined until the API line arrived. */
export function parseUpOutput(text: string): UpSummary | undefined {
  const apiUrl = /API listening on (\S+)/.exec(text)?.[1];
  if (apiUrl === undefined) {
    return undefined;
  }
  const ingressUrl = /^ingress:\s+(https?:\/\/\S+?);?(\s|$)/m.exec(text)?.[1];
  const processes = field(text, 'processes');
  return {
    apiUrl,
    ...(ingressUrl !== undefined ? { ingressUrl } : {}),
    hasPidNamespaces: processes?.startsWith('one PID namespace') ?? false,
    hasIsolatedNetwork: field(text, 'network')?.startsWith('isolated') ?? false,
    ...(processes !== undefined ? { processes } : {}),
    isComplete: text.includes('Press Ctrl-C to stop.'),
  };
}
