// The Kubernetes backend of the cluster DNS: which Services, endpoints and pod addresses a name
// in the zone stands for, with CoreDNS `kubernetes` plugin semantics (`pods insecure`, no
// endpoint_pod_names): NameError for names that cannot exist, an empty list for NODATA.
import { isIP } from 'node:net';
import type { Service } from '../apis/core/v1/types.js';
import { parseRequest } from './request.js';
import type { RecordRequest } from './request.js';
import type { ClusterView, DnsEndpoint, DnsItem, LookupResult } from './types.js';

const NAME_ERROR: LookupResult = { isNameError: true };
const found = (items: DnsItem[]): LookupResult => ({ items, isNameError: false });

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const matches = (wanted: string, actual: string): boolean => wanted === '' || same(wanted, actual);

/** The label an endpoint is known by: its hostname, else its address with dashes. */
export function endpointHostname(ep: { ip: string; hostname: string }): string {
  if (ep.hostname) {
    return ep.hostname;
  }
  if (ep.ip.includes('.')) {
    return ep.ip.replaceAll('.', '-');
  }
  const dashed = ep.ip.replaceAll(':', '-');
  return dashed.endsWith('-') ? `${dashed}0` : dashed;
}

function clusterIPsOf(svc: Service): string[] {
  const spec = svc.spec ?? {};
  return spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? ''];
}

/** What a name inside zone stands for. name and zone are lower case without a trailing dot. */
export function lookupRecords(name: string, zone: string, view: ClusterView): LookupResult {
  const r = parseRequest(name, zone);
  if (!r) {
    return NAME_ERROR;
  }
  if (r.kind === '') {
    return found([]);
  }
  if (!view.hasNamespace(r.namespace)) {
    return NAME_ERROR;
  }
  return r.kind === 'pod' ? findPods(r, zone) : findServices(r, zone, view);
}

/** `a-b-c-d.ns.pod.zone`: the address in the name, for any existing namespace (pods insecure). */
function findPods(r: RecordRequest, zone: string): LookupResult {
  if (r.service === '') {
    return found([]);
  }
  const label = r.service;
  const ip =
    label.split('-').length === 4 && !label.includes('--')
      ? label.replaceAll('-', '.')
      : label.replaceAll('-', ':');
  if (isIP(ip) === 0) {
    return NAME_ERROR;
  }
  return found([{ host: ip, port: 0, owner: `${label}.${r.namespace}.pod.${zone}` }]);
}

function findServices(r: RecordRequest, zone: string, view: ClusterView): LookupResult {
  if (r.service === '') {
    return found([]);
  }
  const svc = view.service(r.namespace, r.service);
  if (!svc) {
    return NAME_ERROR;
  }
  const owner = `${svc.metadata.name ?? ''}.${svc.metadata.namespace ?? ''}.svc.${zone}`;
  if (svc.spec?.type === 'ExternalName') {
    return externalName(r, svc, owner);
  }
  const ips = clusterIPsOf(svc);
  if (ips[0] === 'None' || r.endpoint !== '') {
    const items = endpointItems(r, owner, view.endpoints(r.namespace, r.service));
    return items.length > 0 ? found(items) : NAME_ERROR;
  }
  return clusterIPItems(r, svc, ips, owner);
}

/** An ExternalName is a CNAME; an IP address in externalName, or port/endpoint labels, name nothing. */
function externalName(r: RecordRequest, svc: Service, owner: string): LookupResult {
  const target = (svc.spec?.externalName ?? '').replace(/\.$/, '');
  if (r.endpoint || r.port || r.protocol || target === '' || isIP(target) !== 0) {
    return NAME_ERROR;
  }
  return found([{ host: target, port: -1, owner }]);
}

/** The ClusterIP(s) once per matching port; no matching port means the name does not exist. */
function clusterIPItems(
  r: RecordRequest,
  svc: Service,
  ips: string[],
  owner: string,
): LookupResult {
  const declared = svc.spec?.ports ?? [];
  const ports = declared.length > 0 ? declared : [{ name: '', port: -1, protocol: '' }];
  const matching = ports.filter(
    (p) => matches(r.port, p.name ?? '') && matches(r.protocol, p.protocol ?? 'TCP'),
  );
  if (matching.length === 0) {
    return NAME_ERROR;
  }
  return found(matching.flatMap((p) => ips.map((ip) => ({ host: ip, port: p.port ?? -1, owner }))));
}

function endpointItems(r: RecordRequest, owner: string, endpoints: DnsEndpoint[]): DnsItem[] {
  const items: DnsItem[] = [];
  for (const ep of endpoints) {
    const label = endpointHostname(ep);
    if (r.endpoint !== '' && !same(r.endpoint, label)) {
      continue;
    }
    for (const p of ep.ports) {
      if (matches(r.port, p.name) && matches(r.protocol, p.protocol)) {
        items.push({ host: ep.ip, port: p.port, owner: `${label}.${owner}` });
      }
    }
  }
  return items;
}
