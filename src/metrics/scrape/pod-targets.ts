// Pod addresses for scraping (status.podIP and the host port a container port is bound to, from
// kubeproc.io/port-map, ADR 0005), and the targets of pods annotated `prometheus.io/scrape`, as
// Prometheus' kubernetes-pods job labels them: namespace, pod, container, job, instance.
import type { ContainerPort, Pod } from '../../apis/core/v1/types.js';
import type { ScrapeTarget, TargetDefaults } from './targets.js';

export const PORT_MAP_ANNOTATION = 'kubeproc.io/port-map';
const SCRAPE = 'prometheus.io/scrape';
const PORT = 'prometheus.io/port';
const PATH = 'prometheus.io/path';
const SCHEME = 'prometheus.io/scheme';

export function podIP(pod: Pod): string {
  const ip = (pod.status ?? {}).podIP;
  return typeof ip === 'string' ? ip : '';
}

export function isRunning(pod: Pod): boolean {
  return (
    podIP(pod) !== '' && (pod.status ?? {}).phase === 'Running' && !pod.metadata.deletionTimestamp
  );
}

/** The host port a container port is really bound to (the port map), or the port itself. */
export function hostPort(pod: Pod, containerPort: number): number {
  const text = pod.metadata.annotations?.[PORT_MAP_ANNOTATION];
  if (!text) {
    return containerPort;
  }
  try {
    const mapped = (JSON.parse(text) as Record<string, unknown>)[String(containerPort)];
    return typeof mapped === 'number' ? mapped : containerPort;
  } catch {
    // A hand-edited, broken annotation: the container port is the best guess left.
    return containerPort;
  }
}

export function containerPorts(pod: Pod): { container: string; port: ContainerPort }[] {
  return (pod.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.containerPort)
      .map((port) => ({ container: c.name ?? '', port })),
  );
}

export function hostFor(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

export interface UrlParts {
  scheme: string;
  ip: string;
  port: number;
  path: string;
  params?: string;
}

export function urlOf(u: UrlParts): string {
  const p = u.path.startsWith('/') ? u.path : `/${u.path}`;
  return `${u.scheme}://${hostFor(u.ip)}:${u.port}${p}${u.params ? `?${u.params}` : ''}`;
}

/** The container ports an annotated pod is scraped on: the port annotation, else every port. */
function annotatedPorts(pod: Pod): { container?: string; containerPort: number }[] {
  const ann = pod.metadata.annotations ?? {};
  const ports = ann[PORT]
    ? [{ container: containerOf(pod, Number(ann[PORT])), containerPort: Number(ann[PORT]) }]
    : containerPorts(pod).map((p) => ({
        container: p.container,
        containerPort: p.port.containerPort ?? 0,
      }));
  return ports.filter((p) => Number.isInteger(p.containerPort) && p.containerPort > 0);
}

function annotationTarget(
  pod: Pod,
  port: { container?: string; containerPort: number },
  defaults: TargetDefaults,
): ScrapeTarget {
  const ann = pod.metadata.annotations ?? {};
  const real = hostPort(pod, port.containerPort);
  const url = urlOf({
    scheme: ann[SCHEME] === 'https' ? 'https' : 'http',
    ip: podIP(pod),
    port: real,
    path: ann[PATH] ?? '/metrics',
  });
  return {
    key: url,
    url,
    ...defaults,
    labels: {
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name ?? '',
      ...(port.container ? { container: port.container } : {}),
      job: 'kubernetes-pods',
      instance: `${hostFor(podIP(pod))}:${real}`,
    },
    honorLabels: false,
    pod: podRef(pod),
    source: 'pod annotation',
  };
}

/** Targets of pods annotated `prometheus.io/scrape: "true"`. */
export function podAnnotationTargets(
  pods: readonly Pod[],
  defaults: TargetDefaults,
): ScrapeTarget[] {
  return pods
    .filter((pod) => pod.metadata.annotations?.[SCRAPE] === 'true' && isRunning(pod))
    .flatMap((pod) => annotatedPorts(pod).map((port) => annotationTarget(pod, port, defaults)));
}

export function containerOf(pod: Pod, port: number): string | undefined {
  return containerPorts(pod).find((p) => p.port.containerPort === port)?.container;
}

/** The container whose declared port is bound to host port `port`. */
export function containerForHostPort(pod: Pod, port: number): string | undefined {
  return containerPorts(pod).find((p) => hostPort(pod, p.port.containerPort ?? 0) === port)
    ?.container;
}

export function podRef(pod: Pod): ScrapeTarget['pod'] {
  const { namespace = '', name = '', uid } = pod.metadata;
  return { namespace, name, ...(uid ? { uid } : {}) };
}
