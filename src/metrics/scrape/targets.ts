// What the built-in scraper scrapes, computed from the cluster's objects (pure): pods annotated
// `prometheus.io/scrape: "true"` and the endpoints of Services a ServiceMonitor selects. Addresses
// are status.podIP with the real host port (kubeproc.io/port-map, ADR 0005); labels follow what
// Prometheus (kubernetes-pods job) and prometheus-operator give: namespace, pod, service, job ...
import type { Pod, Service } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { parseByteSize, parsePromDuration } from '../../apis/monitoring/duration.js';
import type { ServiceMonitor, ServiceMonitorEndpoint } from '../../apis/monitoring/types.js';
import { labelSelectorFromObject } from '../../lib/labels.js';
import {
  containerForHostPort,
  containerPorts,
  hostFor,
  hostPort,
  isRunning,
  podAnnotationTargets,
  podRef,
  urlOf,
} from './pod-targets.js';

export { hostPort, podAnnotationTargets, PORT_MAP_ANNOTATION } from './pod-targets.js';

/** One scrape target; `key` identifies it across rounds (URL and Service). */
export interface ScrapeTarget {
  key: string;
  url: string;
  intervalMs: number;
  timeoutMs: number;
  /** Target labels every series gets: namespace, pod, job, instance, and service for Services. */
  labels: Record<string, string>;
  honorLabels: boolean;
  sampleLimit?: number;
  bodySizeLimit?: number;
  /** The pod scraped (for events). */
  pod: { namespace: string; name: string; uid?: string };
  /** `pod annotation` or `servicemonitor <ns>/<name>`, for logs and events. */
  source: string;
}

export interface TargetDefaults {
  intervalMs: number;
  timeoutMs: number;
}

/** The objects targets come from. */
export interface TargetInputs {
  pods: readonly Pod[];
  services: readonly Service[];
  endpoints: readonly KubeObject[];
  serviceMonitors: readonly ServiceMonitor[];
}

interface EndpointsSubset {
  addresses?: { ip?: string; targetRef?: { kind?: string; name?: string; namespace?: string } }[];
  ports?: { name?: string; port?: number }[];
}

function inNamespaces(sm: ServiceMonitor, namespace: string): boolean {
  const sel = sm.spec.namespaceSelector;
  if (sel?.any) {
    return true;
  }
  if (sel?.matchNames && sel.matchNames.length > 0) {
    return sel.matchNames.includes(namespace);
  }
  return namespace === sm.metadata.namespace;
}

function selectedServices(sm: ServiceMonitor, services: readonly Service[]): Service[] {
  let selector;
  try {
    selector = labelSelectorFromObject(sm.spec.selector ?? {});
  } catch {
    // An invalid selector selects nothing, as the operator skips such a monitor.
    return [];
  }
  return services.filter(
    (s) => inNamespaces(sm, s.metadata.namespace ?? '') && selector.matches(s.metadata.labels),
  );
}

interface EndpointContext {
  sm: ServiceMonitor;
  ep: ServiceMonitorEndpoint;
  service: Service;
  pods: Map<string, Pod>;
  defaults: TargetDefaults;
}

function timing(ep: ServiceMonitorEndpoint, defaults: TargetDefaults): TargetDefaults {
  const intervalMs = (ep.interval && parsePromDuration(ep.interval)) || defaults.intervalMs;
  const timeoutMs = (ep.scrapeTimeout && parsePromDuration(ep.scrapeTimeout)) || defaults.timeoutMs;
  return { intervalMs, timeoutMs: Math.min(timeoutMs, intervalMs) };
}

/** The port to scrape on one endpoint address, with the endpoint label; undefined: skip it. */
function portFor(
  ctx: EndpointContext,
  pod: Pod,
  port: { name?: string; port?: number },
): { port: number; endpoint: string } | undefined {
  const { ep } = ctx;
  if (ep.port) {
    return port.name === ep.port && port.port ? { port: port.port, endpoint: ep.port } : undefined;
  }
  if (ep.targetPort !== undefined) {
    const wanted = containerPorts(pod).find((p) =>
      typeof ep.targetPort === 'number'
        ? p.port.containerPort === ep.targetPort
        : p.port.name === ep.targetPort,
    );
    const cp = wanted?.port.containerPort;
    return cp ? { port: hostPort(pod, cp), endpoint: String(ep.targetPort) } : undefined;
  }
  return port.port ? { port: port.port, endpoint: port.name ?? String(port.port) } : undefined;
}

function queryOf(params: Record<string, string[]> | undefined): string {
  const query = new URLSearchParams();
  for (const [k, values] of Object.entries(params ?? {})) {
    values.forEach((v) => query.append(k, v));
  }
  return query.toString();
}

function copied(
  keys: string[] | undefined,
  from: Record<string, string> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    (keys ?? []).filter((k) => from?.[k] !== undefined).map((k) => [k, from?.[k] ?? '']),
  );
}

/** What every target of one ServiceMonitor endpoint on one Service shares. */
function endpointCommon(
  ctx: EndpointContext,
): Omit<ScrapeTarget, 'key' | 'url' | 'labels' | 'pod'> & { labels: Record<string, string> } {
  const { sm, ep, service } = ctx;
  const serviceName = service.metadata.name ?? '';
  const sizeLimit = sm.spec.bodySizeLimit ? parseByteSize(sm.spec.bodySizeLimit) : undefined;
  return {
    ...timing(ep, ctx.defaults),
    labels: {
      ...copied(sm.spec.targetLabels, service.metadata.labels),
      namespace: service.metadata.namespace ?? '',
      service: serviceName,
      job: (sm.spec.jobLabel && service.metadata.labels?.[sm.spec.jobLabel]) || serviceName,
    },
    honorLabels: ep.honorLabels === true,
    ...(sm.spec.sampleLimit ? { sampleLimit: sm.spec.sampleLimit } : {}),
    ...(sizeLimit ? { bodySizeLimit: sizeLimit } : {}),
    source: `servicemonitor ${sm.metadata.namespace ?? ''}/${sm.metadata.name ?? ''}`,
  };
}

/** The targets of one address: one per port the endpoint selects. */
function addressTargets(
  ctx: EndpointContext,
  pod: Pod,
  ip: string,
  ports: EndpointsSubset['ports'],
): ScrapeTarget[] {
  const common = endpointCommon(ctx);
  const out = new Map<number, ScrapeTarget>();
  for (const p of ports ?? []) {
    const found = portFor(ctx, pod, p);
    if (!found || out.has(found.port)) {
      continue;
    }
    const url = urlOf({
      scheme: ctx.ep.scheme ?? 'http',
      ip,
      port: found.port,
      path: ctx.ep.path ?? '/metrics',
      params: queryOf(ctx.ep.params),
    });
    const container = containerForHostPort(pod, found.port);
    const { namespace = '', service = '', job = '' } = common.labels;
    out.set(found.port, {
      ...common,
      key: `${url}|${namespace}/${service}`,
      url,
      labels: {
        ...copied(ctx.sm.spec.podTargetLabels, pod.metadata.labels),
        ...common.labels,
        pod: pod.metadata.name ?? '',
        ...(container ? { container } : {}),
        endpoint: found.endpoint,
        job,
        instance: `${hostFor(ip)}:${found.port}`,
      },
      pod: podRef(pod),
    });
  }
  return [...out.values()];
}

function endpointTargets(ctx: EndpointContext, subsets: EndpointsSubset[]): ScrapeTarget[] {
  const namespace = ctx.service.metadata.namespace ?? '';
  return subsets.flatMap((subset) =>
    (subset.addresses ?? []).flatMap((addr) => {
      const ref = addr.targetRef;
      const pod = ref?.kind === 'Pod' ? ctx.pods.get(`${namespace}/${ref.name ?? ''}`) : undefined;
      return pod && addr.ip ? addressTargets(ctx, pod, addr.ip, subset.ports) : [];
    }),
  );
}

function monitorTargets(
  sm: ServiceMonitor,
  inputs: TargetInputs,
  lookup: { pods: Map<string, Pod>; endpoints: Map<string, KubeObject>; defaults: TargetDefaults },
): ScrapeTarget[] {
  return selectedServices(sm, inputs.services).flatMap((service) => {
    const key = `${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;
    const subsets =
      (lookup.endpoints.get(key) as { subsets?: EndpointsSubset[] } | undefined)?.subsets ?? [];
    return (sm.spec.endpoints ?? []).flatMap((ep) =>
      endpointTargets({ sm, ep, service, pods: lookup.pods, defaults: lookup.defaults }, subsets),
    );
  });
}

/**
 * Every target: ServiceMonitors' first, then annotated pods not already scraped at the same URL
 * (one scrape per address, so a pod's series are not counted twice).
 */
export function computeTargets(inputs: TargetInputs, defaults: TargetDefaults): ScrapeTarget[] {
  const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const pods = new Map(inputs.pods.filter(isRunning).map((p) => [keyOf(p), p]));
  const endpoints = new Map(inputs.endpoints.map((e) => [keyOf(e), e]));
  const byKey = new Map<string, ScrapeTarget>();
  const add = (t: ScrapeTarget): void => {
    if (!byKey.has(t.key)) {
      byKey.set(t.key, t);
    }
  };
  inputs.serviceMonitors.forEach((sm) =>
    monitorTargets(sm, inputs, { pods, endpoints, defaults }).forEach(add),
  );
  const urls = new Set([...byKey.values()].map((t) => t.url));
  podAnnotationTargets(inputs.pods, defaults)
    .filter((t) => !urls.has(t.url))
    .forEach(add);
  return [...byKey.values()];
}
