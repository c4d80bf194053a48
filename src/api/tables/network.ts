// Table printers for services, endpoints, endpoint slices, ingresses and ingress classes: PORT(S)
// as `80:30080/TCP`, EXTERNAL-IP per service type, `ip:port` lists truncated with `+ N more...`.
import type { KubeObject } from '../../apis/meta.js';
import {
  age,
  ageColumn,
  column,
  formatLabels,
  listWithMore,
  nameColumn,
  nameOf,
  printer,
  wideColumn,
} from './common.js';

interface LoadBalancerStatus {
  ingress?: { ip?: string; hostname?: string }[];
}

interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    selector?: Record<string, string>;
    ports?: { port?: number; nodePort?: number; protocol?: string }[];
  };
  status?: { loadBalancer?: LoadBalancerStatus };
}

/** Sorted, de-duplicated IPs (or hostnames when there is no IP) of a load balancer status. */
function loadBalancerAddresses(status: LoadBalancerStatus | undefined): string {
  const seen = new Set<string>();
  for (const ing of status?.ingress ?? []) {
    const address = ing.ip || ing.hostname;
    if (address) {
      seen.add(address);
    }
  }
  // The server always renders wide cells, so the 16-character clipping never applies here.
  return [...seen].sort().join(',');
}

function loadBalancerExternalIP(svc: Service, externalIPs: string[]): string {
  const lb = loadBalancerAddresses(svc.status?.loadBalancer);
  if (externalIPs.length > 0) {
    return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
  }
  return lb || '<pending>';
}

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer':
      return loadBalancerExternalIP(svc, externalIPs);
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S) cell: `80/TCP`, or `80:30080/TCP` when a node port is allocated. */
export function servicePorts(ports: NonNullable<Service['spec']>['ports']): string {
  const text = (ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP';
      return p.nodePort && p.nodePort > 0
        ? `${p.port ?? 0}:${p.nodePort}/${protocol}`
        : `${p.port ?? 0}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

function serviceCells(obj: KubeObject, now: Date): unknown[] {
  const svc = obj as Service;
  const spec = svc.spec ?? {};
  return [
    nameOf(svc),
    spec.type ?? 'ClusterIP',
    spec.clusterIPs?.[0] || spec.clusterIP || '<none>',
    externalIP(svc),
    servicePorts(spec.ports),
    age(svc, now),
    formatLabels(spec.selector),
  ];
}

/** Printer for `services`. */
export const servicePrinter = printer(
  [
    nameColumn(),
    column('Type', 'string', 'How the service is exposed.'),
    column('Cluster-IP', 'string', 'The virtual IP of the service inside the cluster.'),
    column('External-IP', 'string', 'Addresses the service is reachable at from outside.'),
    column('Port(s)', 'string', 'Ports the service exposes.'),
    ageColumn(),
    wideColumn('Selector', 'string', 'Labels of the pods the service routes to.'),
  ],
  serviceCells,
);

interface Endpoints extends KubeObject {
  subsets?: { addresses?: { ip: string }[]; ports?: { port?: number }[] }[];
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** ENDPOINTS cell: ready `ip:port` pairs, the first three then `+ N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) {
    return '<none>';
  }
  const entries: string[] = [];
  for (const subset of subsets) {
    const ips = (subset.addresses ?? []).map((a) => a.ip);
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may publish addresses without ports.
      entries.push(...ips);
      continue;
    }
    for (const port of ports) {
      entries.push(...ips.map((ip) => joinHostPort(ip, port.port ?? 0)));
    }
  }
  return listWithMore(entries, entries.length, 3);
}

/** Printer for `endpoints`. */
export const endpointsPrinter = printer(
  [nameColumn(), column('Endpoints', 'string', 'Ready addresses and ports.'), ageColumn()],
  (obj, now) => [nameOf(obj), formatEndpoints(obj), age(obj, now)],
);

interface EndpointSlice extends KubeObject {
  addressType?: string;
  ports?: { port?: number | null; name?: string | null }[] | null;
  endpoints?: { addresses?: string[] }[] | null;
}

function listOrUnset(entries: string[]): string {
  return listWithMore(entries, entries.length, 3) || '<unset>';
}

function endpointSliceCells(obj: KubeObject, now: Date): unknown[] {
  const slice = obj as EndpointSlice;
  const ports = (slice.ports ?? []).map((p) =>
    p.port != null ? String(p.port) : p.name != null ? p.name : '*',
  );
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return [
    nameOf(slice),
    slice.addressType ?? '',
    listOrUnset(ports),
    listOrUnset(addresses),
    age(slice, now),
  ];
}

/** Printer for `endpointslices.discovery.k8s.io`. */
export const endpointSlicePrinter = printer(
  [
    nameColumn(),
    column('AddressType', 'string', 'The type of the addresses in the slice.'),
    column('Ports', 'string', 'Ports of the slice.'),
    column('Endpoints', 'string', 'Addresses of the endpoints in the slice.'),
    ageColumn(),
  ],
  endpointSliceCells,
);

interface Ingress extends KubeObject {
  spec?: { ingressClassName?: string | null; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: LoadBalancerStatus };
}

/** HOSTS cell; like upstream, the `+ N more` count is over all rules, with or without a host. */
export function formatHosts(rules: { host?: string }[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) {
      more = true;
    }
    if (!more && rule.host) {
      list.push(rule.host);
    }
  }
  if (list.length === 0) {
    return '*';
  }
  const text = list.join(',');
  return more ? `${text} + ${(rules ?? []).length - max} more...` : text;
}

function ingressCells(obj: KubeObject, now: Date): unknown[] {
  const ing = obj as Ingress;
  const spec = ing.spec ?? {};
  return [
    nameOf(ing),
    spec.ingressClassName ?? '<none>',
    formatHosts(spec.rules),
    loadBalancerAddresses(ing.status?.loadBalancer),
    (spec.tls ?? []).length > 0 ? '80, 443' : '80',
    age(ing, now),
  ];
}

/** Printer for `ingresses.networking.k8s.io`. */
export const ingressPrinter = printer(
  [
    nameColumn(),
    column('Class', 'string', 'The IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Hosts the ingress rules match.'),
    column('Address', 'string', 'Load balancer addresses of the ingress.'),
    column('Ports', 'string', 'Ports the ingress serves on.'),
    ageColumn(),
  ],
  ingressCells,
);

interface IngressClass extends KubeObject {
  spec?: {
    controller?: string;
    parameters?: { apiGroup?: string | null; kind?: string; name?: string };
  };
}

function ingressClassCells(obj: KubeObject, now: Date): unknown[] {
  const ic = obj as IngressClass;
  const params = ic.spec?.parameters;
  let parameters = '<none>';
  if (params) {
    const kind =
      params.apiGroup != null ? `${params.kind ?? ''}.${params.apiGroup}` : (params.kind ?? '');
    parameters = `${kind}/${params.name ?? ''}`;
  }
  return [nameOf(ic), ic.spec?.controller ?? '', parameters, age(ic, now)];
}

/** Printer for `ingressclasses.networking.k8s.io`. */
export const ingressClassPrinter = printer(
  [
    nameColumn(),
    column('Controller', 'string', 'The controller that implements this class.'),
    column('Parameters', 'string', 'Resource holding extra parameters for the controller.'),
    ageColumn(),
  ],
  ingressClassCells,
);
