// Downward API `fieldRef` values for env (kubelet_pods.go podFieldSelectorRuntimeValue,
// pkg/apis/core/pods ConvertDownwardAPIFieldLabel, pkg/fieldpath ExtractFieldPathAsString).
import { isIPv4, isIPv6 } from 'node:net';
import type { Pod } from '../../apis/core/v1/types.js';
import { isQualifiedName } from '../../apis/validation/validators.js';
import { ContainerConfigError } from './errors.js';
import { goQuote } from './go-quote.js';

/** What the node knows beyond the pod object itself. */
export interface FieldRefContext {
  nodeName: string;
  hostIPs: string[];
  podIPs: string[];
}

/** Labels the v1 Pod accepts as downward API field paths (without a subscript). */
const POD_FIELD_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
  'spec.terminationGracePeriodSeconds',
]);

/** `metadata.labels['k']` → `['metadata.labels', 'k']`; undefined when not subscripted. */
export function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) {
    return undefined;
  }
  const body = fieldPath.slice(0, -2);
  const open = body.indexOf("['");
  if (open <= 0) {
    return undefined;
  }
  return [body.slice(0, open), body.slice(open + 2)];
}

/** ConvertDownwardAPIFieldLabel: the internal label, or upstream's error. */
function convertFieldLabel(version: string, label: string): string {
  if (version !== 'v1') {
    throw new ContainerConfigError(`unsupported pod version: ${version}`);
  }
  const split = splitSubscript(label);
  if (split) {
    if (split[0] === 'metadata.annotations' || split[0] === 'metadata.labels') {
      return label;
    }
    throw new ContainerConfigError(`field label does not support subscript: ${label}`);
  }
  if (label === 'spec.host') {
    // Old v1 clients send spec.host.
    return 'spec.nodeName';
  }
  if (!POD_FIELD_LABELS.has(label)) {
    throw new ContainerConfigError(`field label not supported: ${label}`);
  }
  return label;
}

/**
 * The pod IPs as the kubelet orders them (sortPodIPs): the first of the node's primary family,
 * then the first of the other family; anything that is not an IP is dropped.
 */
export function sortPodIPs(podIPs: string[], hostIPs: string[]): string[] {
  const primaryIsV6 = hostIPs[0] !== undefined && isIPv6(hostIPs[0]);
  const [primary, secondary] = primaryIsV6 ? [isIPv6, isIPv4] : [isIPv4, isIPv6];
  return [podIPs.find((ip) => primary(ip)), podIPs.find((ip) => secondary(ip))].filter(
    (ip): ip is string => ip !== undefined,
  );
}

type FieldGetter = (pod: Pod, ctx: FieldRefContext) => string;

/** Fields the kubelet answers itself rather than from the pod object. */
const NODE_FIELDS = new Map<string, FieldGetter>([
  ['spec.nodeName', (pod, ctx) => pod.spec?.nodeName || ctx.nodeName],
  ['spec.serviceAccountName', (pod) => pod.spec?.serviceAccountName ?? ''],
  ['status.hostIP', (_pod, ctx) => ctx.hostIPs[0] ?? ''],
  ['status.hostIPs', (_pod, ctx) => ctx.hostIPs.join(',')],
  // An unusable pod IP list leaves the given pod IP as it is.
  ['status.podIP', (_pod, ctx) => sortPodIPs(ctx.podIPs, ctx.hostIPs)[0] ?? ctx.podIPs[0] ?? ''],
  ['status.podIPs', (_pod, ctx) => sortPodIPs(ctx.podIPs, ctx.hostIPs).join(',')],
]);

const METADATA_FIELDS = new Map<string, (pod: Pod) => string>([
  ['metadata.annotations', (pod) => formatMap(pod.metadata.annotations ?? {})],
  ['metadata.labels', (pod) => formatMap(pod.metadata.labels ?? {})],
  ['metadata.name', (pod) => pod.metadata.name ?? ''],
  ['metadata.namespace', (pod) => pod.metadata.namespace ?? ''],
  ['metadata.uid', (pod) => pod.metadata.uid ?? ''],
]);

/** The value of a `fieldRef` env source; throws ContainerConfigError with upstream's message. */
export function podFieldRefValue(
  ref: { apiVersion?: string; fieldPath?: string },
  pod: Pod,
  ctx: FieldRefContext,
): string {
  // API defaulting sets apiVersion v1; objects built in-process may leave it out.
  const label = convertFieldLabel(ref.apiVersion ?? 'v1', ref.fieldPath ?? '');
  const fromNode = NODE_FIELDS.get(label);
  return fromNode ? fromNode(pod, ctx) : extractFieldPathAsString(pod, label);
}

/** ExtractFieldPathAsString for the metadata fields; others are `unsupported fieldPath`. */
export function extractFieldPathAsString(pod: Pod, fieldPath: string): string {
  const split = splitSubscript(fieldPath);
  if (split) {
    return subscriptValue(pod, fieldPath, split[0], split[1]);
  }
  const getter = METADATA_FIELDS.get(fieldPath);
  if (!getter) {
    throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
  return getter(pod);
}

/** One label or annotation; a missing one is empty. */
function subscriptValue(pod: Pod, fieldPath: string, path: string, key: string): string {
  const isAnnotation = path === 'metadata.annotations';
  if (!isAnnotation && path !== 'metadata.labels') {
    throw new ContainerConfigError(`fieldPath ${goQuote(fieldPath)} does not support subscript`);
  }
  // Annotation keys are validated case-insensitively, label keys exactly.
  const errs = isQualifiedName(isAnnotation ? key.toLowerCase() : key);
  if (errs.length > 0) {
    throw new ContainerConfigError(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
  }
  const map = (isAnnotation ? pod.metadata.annotations : pod.metadata.labels) ?? {};
  return Object.hasOwn(map, key) ? (map[key] ?? '') : '';
}

/** `k="v"` lines sorted by key, values quoted as Go's %q does (fieldpath.FormatMap). */
export function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((key) => `${key}=${goQuote(map[key] ?? '')}`)
    .join('\n');
}
