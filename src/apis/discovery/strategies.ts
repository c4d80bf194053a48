// Strategy of the discovery.k8s.io group: EndpointSlice defaulting (port name and protocol) and
// validation with the messages of Kubernetes 1.32 (pkg/apis/discovery/validation).
import type { FieldError } from '../../lib/errors.js';
import type { KubeObject } from '../meta.js';
import type { KindStrategy } from '../resource-type.js';
import { asArray, asRecord, str, validateImmutable } from '../autoscaling/field.js';
import { validateEndpointAddress } from './addresses.js';
import { duplicate, invalid, notSupported, required, tooMany } from '../validation/field-error.js';
import { validateLabels } from '../validation/labels.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../validation/validators.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_PORTS = 20000;
const MAX_ZONE_HINTS = 8;

export interface EndpointSliceOptions {
  /**
   * Upstream rejects loopback endpoint addresses. kubeproc's host network mode puts pods on the
   * host's addresses, so its strategy allows them (as kubeproc's Endpoints validation does).
   */
  allowLoopback: boolean;
}

/** SetDefaults_EndpointPort, and the DeprecatedTopology wipe v1 writes get (dropTopologyOnV1). */
export function defaultEndpointSlice(obj: KubeObject): void {
  for (const raw of asArray(obj.ports)) {
    const port = asRecord(raw);
    if (port) {
      port.name ??= '';
      port.protocol ??= 'TCP';
    }
  }
  for (const raw of asArray(obj.endpoints)) {
    delete asRecord(raw)?.deprecatedTopology;
  }
}

const dns1123Label = (value: string, path: string): FieldError[] =>
  isDNS1123Label(value).map((m) => invalid(path, value, m));

function validateHints(hints: Record<string, unknown>, path: string): FieldError[] {
  const zones = asArray(hints.forZones);
  if (zones.length > MAX_ZONE_HINTS) {
    return [tooMany(`${path}.forZones`, zones.length, MAX_ZONE_HINTS)];
  }
  const seen = new Set<string>();
  return zones.flatMap((z, i) => {
    const name = str(asRecord(z)?.name);
    const field = `${path}.forZones[${i}].name`;
    const errs = seen.has(name) ? [duplicate(field, name)] : [];
    seen.add(name);
    return [...errs, ...isValidLabelValue(name).map((m) => invalid(field, name, m))];
  });
}

function validateEndpoint(
  raw: unknown,
  path: string,
  type: string,
  opts: EndpointSliceOptions,
): FieldError[] {
  const ep = asRecord(raw) ?? {};
  const addresses = asArray(ep.addresses).map(str);
  const errs: FieldError[] = [];
  if (addresses.length === 0) {
    errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
  } else if (addresses.length > MAX_ADDRESSES) {
    errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
  }
  addresses.forEach((a, i) =>
    errs.push(...validateEndpointAddress(a, `${path}.addresses[${i}]`, type, opts.allowLoopback)),
  );
  if (ep.nodeName != null) {
    const node = str(ep.nodeName);
    errs.push(...isDNS1123Subdomain(node).map((m) => invalid(`${path}.nodeName`, node, m)));
  }
  const topology = asRecord(ep.deprecatedTopology) ?? {};
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) {
    errs.push(
      tooMany(`${path}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS),
    );
  }
  errs.push(...validateLabels(topology as Record<string, string>, `${path}.deprecatedTopology`));
  if (ep.hostname != null) {
    errs.push(...dns1123Label(str(ep.hostname), `${path}.hostname`));
  }
  const hints = asRecord(ep.hints);
  if (hints) {
    errs.push(...validateHints(hints, `${path}.hints`));
  }
  return errs;
}

function validatePorts(ports: unknown[]): FieldError[] {
  if (ports.length > MAX_PORTS) {
    return [tooMany('ports', ports.length, MAX_PORTS)];
  }
  const names = new Set<string>();
  return ports.flatMap((raw, i) => {
    const port = asRecord(raw) ?? {};
    const path = `ports[${i}]`;
    const name = str(port.name);
    const errs = name.length > 0 ? dns1123Label(name, `${path}.name`) : [];
    if (names.has(name)) {
      errs.push(duplicate(`${path}.name`, name));
    }
    names.add(name);
    if (port.protocol == null) {
      errs.push(required(`${path}.protocol`));
    } else if (!PROTOCOLS.includes(str(port.protocol))) {
      errs.push(notSupported(`${path}.protocol`, str(port.protocol), PROTOCOLS));
    }
    if (port.appProtocol != null) {
      const app = str(port.appProtocol);
      errs.push(...isQualifiedName(app).map((m) => invalid(`${path}.appProtocol`, app, m)));
    }
    return errs;
  });
}

/** ValidateEndpointSlice (metadata is validated elsewhere). */
export function validateEndpointSlice(obj: KubeObject, opts: EndpointSliceOptions): FieldError[] {
  const type = str(obj.addressType);
  const errs: FieldError[] = [];
  if (type === '') {
    errs.push(required('addressType'));
  } else if (!ADDRESS_TYPES.includes(type)) {
    errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  }
  const endpoints = asArray(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) {
    errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  } else {
    endpoints.forEach((ep, i) => errs.push(...validateEndpoint(ep, `endpoints[${i}]`, type, opts)));
  }
  errs.push(...validatePorts(asArray(obj.ports)));
  return errs;
}

/** The EndpointSlice strategy; see EndpointSliceOptions for the loopback choice. */
export function endpointSliceStrategy(
  opts: EndpointSliceOptions = { allowLoopback: true },
): KindStrategy {
  return {
    default: defaultEndpointSlice,
    validate: (obj) => validateEndpointSlice(obj, opts),
    validateUpdate: (obj, old) =>
      validateImmutable('addressType', str(obj.addressType), str(old.addressType)),
  };
}

/** Strategies of the discovery.k8s.io group, keyed by kind. */
export const discoveryStrategies: Record<string, KindStrategy> = {
  EndpointSlice: endpointSliceStrategy(),
};
