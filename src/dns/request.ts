// Splits a query name inside the cluster zone into the parts the Kubernetes DNS schema names:
// `[_port._proto.|endpoint.]service.namespace.(svc|pod).zone` (CoreDNS parse.go's rules).

export interface RecordRequest {
  /** 'svc' or 'pod'; '' for the zone apex and for `svc.zone` / `pod.zone` themselves. */
  kind: '' | 'svc' | 'pod';
  namespace: string;
  service: string;
  endpoint: string;
  /** Without the leading underscore; '' matches any. */
  port: string;
  protocol: string;
}

const EMPTY: RecordRequest = {
  kind: '',
  namespace: '',
  service: '',
  endpoint: '',
  port: '',
  protocol: '',
};

const stripUnderscore = (label: string): string => (label.startsWith('_') ? label.slice(1) : label);

/**
 * The request a lower-cased name inside zone asks for, or undefined when the name cannot exist
 * (not under svc/pod, or too many labels): that is NXDOMAIN.
 */
export function parseRequest(name: string, zone: string): RecordRequest | undefined {
  const base = name === zone ? '' : name.slice(0, name.length - zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') {
    return { ...EMPTY };
  }
  const segs = base.split('.');
  const kind = segs.pop();
  if (kind !== 'svc' && kind !== 'pod') {
    return undefined;
  }
  const r: RecordRequest = { ...EMPTY, kind };
  r.namespace = segs.pop() ?? '';
  r.service = segs.pop() ?? '';
  const [first = '', second = ''] = segs;
  switch (segs.length) {
    case 0:
      return r;
    case 1:
      return { ...r, endpoint: first };
    case 2:
      return { ...r, port: stripUnderscore(first), protocol: stripUnderscore(second) };
    default:
      return undefined;
  }
}

/** Whether name (lower case, no trailing dot) is zone or below it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
