// Pure helpers shared by the endpoints and endpointslice controllers: which pods back a Service,
// at which IP and port (kubeproc's host-port map included), and when endpoints last changed
// (upstream k8s.io/endpointslice/util controller_utils.go, trigger_time_tracker.go, FindPort).
import type { Container, Pod, Service, ServicePort } from '../../apis/core/v1/types.js';
import type { KubeObject } from '../../apis/meta.js';
import { keyOf } from '../../client/informer.js';
import { labelSelectorFromSet } from '../../lib/labels.js';
import { isPodReady, isPodTerminal, podCondition } from '../common/pod-util.js';

/** JSON `{"<containerPort>": <hostPort>}` the node agent records for host-network pods. */
export const PORT_MAP_ANNOTATION = 'kubeproc.io/port-map';
export const LAST_CHANGE_TRIGGER_TIME_ANNOTATION =
  'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

interface PodIPStatus {
  podIP?: string;
  podIPs?: { ip?: string }[];
}

/** status.podIPs, or [status.podIP] when only that is set (v1 conversion keeps them in step). */
export function podIPs(pod: KubeObject): string[] {
  const status = (pod.status ?? {}) as PodIPStatus;
  const ips = (status.podIPs ?? []).map((p) => p.ip ?? '').filter((ip) => ip !== '');
  if (ips.length > 0) {
    return ips;
  }
  return status.podIP ? [status.podIP] : [];
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/** Not terminal, has an IP, and (unless includeTerminating) not being deleted. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod) || podIPs(pod).length === 0) {
    return false;
  }
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** The pod's hostname is published when its subdomain names this Service. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (
    !!pod.spec?.hostname &&
    pod.spec.subdomain === svc.metadata.name &&
    pod.metadata.namespace === svc.metadata.namespace
  );
}

/** A Service whose spec.selector is set selects pods; an empty map counts as unset. */
export function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** ClusterIP set and not `None` (helper.IsServiceIPSet). */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** The IP family of the Service's primary address (podToEndpointAddressForService). */
export function serviceIPFamily(svc: Service, pod: KubeObject): 'IPv4' | 'IPv6' {
  const families = svc.spec?.ipFamilies ?? [];
  if (families[0] === 'IPv4' || families[0] === 'IPv6') {
    return families[0];
  }
  if (isServiceIPSet(svc)) {
    return isIPv6(svc.spec?.clusterIP ?? '') ? 'IPv6' : 'IPv4';
  }
  return isIPv6(podIPs(pod)[0] ?? '') ? 'IPv6' : 'IPv4';
}

/** The first pod IP of the given family, if any. */
export function podIPOfFamily(pod: KubeObject, family: 'IPv4' | 'IPv6'): string | undefined {
  return podIPs(pod).find((ip) => isIPv6(ip) === (family === 'IPv6'));
}

function sidecars(pod: Pod): Container[] {
  return (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
}

/** FindPort: a numeric targetPort as is, a named one looked up per pod (sidecars included). */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') {
    return target;
  }
  if (typeof target !== 'string' || target === '') {
    return undefined;
  }
  const protocol = svcPort.protocol || 'TCP';
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars(pod)]) {
    const found = container.ports?.find(
      (p) => p.name === target && (p.protocol || 'TCP') === protocol,
    );
    if (found?.containerPort !== undefined) {
      return found.containerPort;
    }
  }
  return undefined;
}

/** The node agent's containerPort → hostPort map; malformed entries are ignored. */
export function hostPortMap(pod: KubeObject): Map<number, number> {
  const raw = pod.metadata.annotations?.[PORT_MAP_ANNOTATION];
  const out = new Map<number, number>();
  if (!raw) {
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return out; // a bad annotation must not take the Service down: use container ports
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      const container = Number(k);
      if (Number.isInteger(container) && typeof v === 'number' && Number.isInteger(v)) {
        out.set(container, v);
      }
    }
  }
  return out;
}

/** The port endpoints publish: FindPort, then the host port the node agent mapped it to. */
export function resolveEndpointPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const port = findPort(pod, svcPort);
  return port === undefined ? undefined : (hostPortMap(pod).get(port) ?? port);
}

function sameLabels(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

function hostnameOrSubdomainChanged(oldPod: Pod, newPod: Pod): boolean {
  return (
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain
  );
}

function portMapChanged(oldPod: Pod, newPod: Pod): boolean {
  const annotation = (p: Pod) => p.metadata.annotations?.[PORT_MAP_ANNOTATION];
  return annotation(oldPod) !== annotation(newPod);
}

/** podEndpointsChanged, plus the kubeproc inputs (port map, nodeName) that change endpoints. */
export function podEndpointsChanged(
  oldPod: Pod,
  newPod: Pod,
): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(oldPod.metadata.labels, newPod.metadata.labels) ||
    hostnameOrSubdomainChanged(oldPod, newPod);
  const podChanged =
    oldPod.metadata.deletionTimestamp !== newPod.metadata.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    isPodTerminal(oldPod) !== isPodTerminal(newPod) ||
    podIPs(oldPod).join(',') !== podIPs(newPod).join(',') ||
    oldPod.spec?.nodeName !== newPod.spec?.nodeName ||
    portMapChanged(oldPod, newPod);
  return { podChanged, labelsChanged };
}

/** Keys of the Services (with a selector) in the pod's namespace that select these labels. */
export function servicesSelecting(
  services: KubeObject[],
  labels: Record<string, string> | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const svc of services as Service[]) {
    if (hasSelector(svc) && labelSelectorFromSet(svc.spec?.selector).matches(labels ?? {})) {
      out.add(keyOf(svc));
    }
  }
  return out;
}

/** GetServicesToUpdateOnPodChange: the Services whose endpoints a pod update may change. */
export function servicesToUpdateOnPodChange(
  services: KubeObject[],
  oldPod: Pod,
  newPod: Pod,
): Set<string> {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) {
    return new Set();
  }
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!labelsChanged) {
    return podChanged ? servicesSelecting(services, newPod.metadata.labels) : new Set();
  }
  const now = servicesSelecting(services, newPod.metadata.labels);
  const before = servicesSelecting(services, oldPod.metadata.labels);
  // Only the labels changed: the Services in exactly one of the two sets.
  const out = new Set<string>();
  for (const key of now) {
    if (podChanged || !before.has(key)) {
      out.add(key);
    }
  }
  for (const key of before) {
    if (podChanged || !now.has(key)) {
      out.add(key);
    }
  }
  return out;
}

/** What the trigger-time computation remembers of a Service between syncs. */
export interface TriggerTimeState {
  serviceMs: number;
  podMs: Map<string, number>;
}

function parseTime(value: string | undefined): number {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * ComputeEndpointLastChangeTriggerTime: the earliest pod Ready transition (or Service creation)
 * newer than the previous sync saw; the Service's creation time on its first sync.
 */
export function computeTriggerTime(
  previous: TriggerTimeState | undefined,
  svc: Service,
  pods: KubeObject[],
): { triggerMs: number; state: TriggerTimeState } {
  let minChanged = 0;
  const podMs = new Map<string, number>();
  const consider = (ms: number, before: number): void => {
    if (ms > before && (minChanged === 0 || ms < minChanged)) {
      minChanged = ms;
    }
  };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const ms = parseTime(podCondition(pod, 'Ready')?.lastTransitionTime);
    if (ms !== 0) {
      podMs.set(name, ms);
      consider(ms, previous?.podMs.get(name) ?? 0);
    }
  }
  const serviceMs = parseTime(svc.metadata.creationTimestamp);
  consider(serviceMs, previous?.serviceMs ?? 0);
  const state = { serviceMs, podMs };
  return { triggerMs: previous ? minChanged : serviceMs, state };
}

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction (and a bare dot) dropped. */
export function formatRFC3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Deep equality of JSON values that treats absent, null and empty arrays/objects alike. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/** A stable JSON form: sorted keys; undefined, null and empty containers dropped. */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? '';
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length > 0 ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) {
        out[key] = v;
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value ?? undefined;
}
