// ClusterIP and NodePort allocation for Services. Allocated values are derived from the stored
// Services on every write (no separate bitmap to repair), which is cheap at one machine's scale.
import type { KubeObject } from '../../apis/meta.js';
import type { FieldError } from '../../lib/errors.js';
import { invalid } from '../../lib/errors.js';
import type { Store } from '../../store/store.js';
import type { AdmissionPlugin } from '../rest/context.js';
import { Cidr } from './cidr.js';

interface ServicePort {
  port?: number;
  nodePort?: number;
  [k: string]: unknown;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

export interface ServiceAllocationConfig {
  serviceCidr: string;
  nodePortRange: [number, number];
}

const NEEDS_NODE_PORT = new Set(['NodePort', 'LoadBalancer']);

/** The admission plugin that fills spec.clusterIP(s) and node ports. */
export function serviceAllocation(config: ServiceAllocationConfig): AdmissionPlugin {
  const cidr = Cidr.parse(config.serviceCidr);
  return {
    name: 'ServiceAllocation',
    handles: (rt) => rt.group === '' && rt.kind === 'Service',
    admit(req, store) {
      if (req.operation === 'DELETE' || req.subresource === 'status') {
        return;
      }
      const svc = req.object;
      const spec = (svc.spec ?? {}) as ServiceSpec;
      svc.spec = spec;
      const oldSpec = (req.old?.spec ?? {}) as ServiceSpec;
      const used = usedAllocations(store, svc);
      const errors: FieldError[] = [];
      allocateClusterIP(spec, oldSpec, cidr, used.ips, errors);
      allocateNodePorts(spec, oldSpec, config.nodePortRange, used.ports, errors);
      if (errors.length > 0) {
        throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errors);
      }
    },
  };
}

function usedAllocations(store: Store, self: KubeObject): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const { object } of store.list('/core/services/').items) {
    if (object.metadata.uid === self.metadata.uid) {
      continue;
    }
    const spec = (object.spec ?? {}) as ServiceSpec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
      ips.add(ip);
    }
    for (const p of spec.ports ?? []) {
      if (p.nodePort) {
        ports.add(p.nodePort);
      }
    }
  }
  return { ips, ports };
}

function allocateClusterIP(
  spec: ServiceSpec,
  oldSpec: ServiceSpec,
  cidr: Cidr,
  used: Set<string>,
  errors: FieldError[],
): void {
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    return;
  }
  const requested = spec.clusterIP || spec.clusterIPs?.[0] || oldSpec.clusterIP || '';
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    return;
  }
  if (requested && requested === oldSpec.clusterIP) {
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
    return;
  }
  if (requested) {
    const problem = !cidr.contains(requested)
      ? `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr.toString()}`
      : used.has(requested)
        ? 'provided IP is already allocated'
        : undefined;
    if (problem) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.clusterIPs',
        detail: `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: ${problem}`,
      });
      return;
    }
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
    return;
  }
  const ip = cidr.firstFree(used);
  if (!ip) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.clusterIPs',
      detail: `Invalid value: []string{}: failed to allocate IP: range is full`,
    });
    return;
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

function allocateNodePorts(
  spec: ServiceSpec,
  oldSpec: ServiceSpec,
  [lo, hi]: [number, number],
  used: Set<number>,
  errors: FieldError[],
): void {
  const ports = spec.ports ?? [];
  if (!NEEDS_NODE_PORT.has(spec.type ?? 'ClusterIP')) {
    ports.forEach((p) => delete p.nodePort);
    return;
  }
  const oldByPort = new Map((oldSpec.ports ?? []).map((p) => [p.port, p.nodePort]));
  ports.forEach((p, i) => {
    const wanted = p.nodePort ?? oldByPort.get(p.port);
    if (wanted !== undefined) {
      const problem =
        wanted < lo || wanted > hi
          ? `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`
          : used.has(wanted)
            ? 'provided port is already allocated'
            : undefined;
      if (problem) {
        errors.push({
          type: 'FieldValueInvalid',
          field: `spec.ports[${i}].nodePort`,
          detail: `Invalid value: ${wanted}: ${problem}`,
        });
        return;
      }
      p.nodePort = wanted;
      used.add(wanted);
      return;
    }
    const free = pickFreePort(lo, hi, used);
    if (free === undefined) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `spec.ports[${i}].nodePort`,
        detail: 'Invalid value: 0: range is full',
      });
      return;
    }
    p.nodePort = free;
    used.add(free);
  });
}

function pickFreePort(lo: number, hi: number, used: Set<number>): number | undefined {
  const size = hi - lo + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const candidate = lo + ((start + i) % size);
    if (!used.has(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
