// Validation of Namespace, ServiceAccount, Endpoints, Node and Event (core/v1), following
// pkg/apis/core/validation (validation.go, events.go).
import type { FieldError } from '../../../lib/errors.js';
import type { KubeObject } from '../../meta.js';
import {
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { goStruct } from '../../validation/go-format.js';
import { validateQualifiedName } from '../../validation/labels.js';
import {
  validateFinalizerName,
  validateName,
  validateObjectMeta,
} from '../../validation/object-meta.js';
import { isQuantity, readQuantity } from '../../validation/quantity.js';
import {
  isDNS1123Subdomain,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortNum,
} from '../../validation/validators.js';
import { PROTOCOLS, validateDNSLabel } from './container-validation.js';
import { validateQuantityValue } from './resources-validation.js';
import { validateNonSpecialIP } from './service-validation.js';

type Rec = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

/** ValidateNamespace: a DNS label name and valid spec.finalizers. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameRule: 'dns1123-label' });
  const finalizers = ((ns.spec as Rec | undefined)?.finalizers ?? []) as string[];
  for (const f of finalizers) {
    // Upstream reports these at the list path, without an index.
    errs.push(...validateFinalizerName(f, 'spec.finalizers'));
    if (!f.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(f)) {
      errs.push(
        invalid(
          'spec.finalizers',
          f,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
  }
  return errs;
}

/** ValidateServiceAccount: metadata only. */
export function validateServiceAccount(sa: KubeObject): FieldError[] {
  return validateObjectMeta(sa.metadata, { namespaced: true, nameRule: 'dns1123-subdomain' });
}

function validateEndpointAddress(addr: Rec, path: string): FieldError[] {
  const ip = str(addr.ip);
  const ipPath = child(path, 'ip');
  const badIP = isValidIP(ip);
  const errs = badIP.map((m) => invalid(ipPath, ip, m));
  const hostname = str(addr.hostname);
  if (hostname) {
    errs.push(...validateDNSLabel(hostname, child(path, 'hostname')));
  }
  if (addr.nodeName !== undefined) {
    const nodeName = str(addr.nodeName);
    errs.push(
      ...validateName('dns1123-subdomain', nodeName).map((m) =>
        invalid(child(path, 'nodeName'), nodeName, m),
      ),
    );
  }
  // Loopback is allowed, unlike upstream: kubeproc's pods are local processes on 127.0.0.0/8.
  errs.push(
    ...(badIP.length
      ? [invalid(ipPath, ip, 'must be a valid IP address')]
      : validateNonSpecialIP(ip, ipPath, false)),
  );
  return errs;
}

function validateEndpointPort(port: Rec, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && !name) {
    errs.push(required(child(path, 'name')));
  } else if (name) {
    errs.push(...validateDNSLabel(name, child(path, 'name')));
  }
  const num = typeof port.port === 'number' ? port.port : 0;
  errs.push(...isValidPortNum(num).map((m) => invalid(child(path, 'port'), num, m)));
  const protocol = str(port.protocol);
  if (!protocol) {
    errs.push(required(child(path, 'protocol')));
  } else if (!PROTOCOLS.includes(protocol)) {
    errs.push(notSupported(child(path, 'protocol'), protocol, PROTOCOLS));
  }
  if (port.appProtocol !== undefined) {
    errs.push(...validateQualifiedName(str(port.appProtocol), child(path, 'appProtocol')));
  }
  return errs;
}

/** ValidateEndpoints (create and update alike). */
export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameRule: 'dns1123-subdomain' });
  list(ep.subsets).forEach((ss, i) => {
    const p = index('subsets', i);
    const addrs = list(ss.addresses);
    const notReady = list(ss.notReadyAddresses);
    if (addrs.length === 0 && notReady.length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    addrs.forEach((a, j) =>
      errs.push(...validateEndpointAddress(a, index(child(p, 'addresses'), j))),
    );
    notReady.forEach((a, j) =>
      errs.push(...validateEndpointAddress(a, index(child(p, 'notReadyAddresses'), j))),
    );
    const ports = list(ss.ports);
    ports.forEach((port, j) =>
      errs.push(...validateEndpointPort(port, ports.length > 1, index(child(p, 'ports'), j))),
    );
  });
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTaints(taints: Rec[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    // Upstream builds this path from `metadata`: metadata.taints[i].
    const p = index('metadata.taints', i);
    const [k, v, effect] = [str(t.key), str(t.value), str(t.effect)];
    errs.push(...validateQualifiedName(k, child(p, 'key')));
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length) {
      errs.push(invalid(child(p, 'value'), v, valueErrs.join(';')));
    }
    if (!effect) {
      errs.push(required(child(p, 'effect')));
    } else if (!TAINT_EFFECTS.includes(effect)) {
      errs.push(notSupported(child(p, 'effect'), effect, TAINT_EFFECTS));
    }
    if (seen.has(`${effect}\u0000${k}`)) {
      const shown = goStruct('core.Taint', [
        ['Key', k],
        ['Value', v],
        ['Effect', effect],
        ['TimeAdded', t.timeAdded ? t.timeAdded : null],
      ]);
      errs.push(duplicate(p, shown, 'taints must be unique by key and effect pair'));
      return;
    }
    seen.add(`${effect}\u0000${k}`);
  });
  return errs;
}

function validateNodeResources(status: Rec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['capacity', 'allocatable']) {
    for (const [name, raw] of Object.entries((status?.[field] as Rec | undefined) ?? {})) {
      const path = `status.${field}.${name}`;
      const q = readQuantity(raw);
      errs.push(
        ...(isQuantity(q) ? validateQuantityValue(name, q, path) : [invalid(path, raw, q.error)]),
      );
    }
  }
  return errs;
}

/** ValidateNode (create and update). */
export function validateNode(node: KubeObject): FieldError[] {
  const errs = validateObjectMeta(node.metadata, {
    namespaced: false,
    nameRule: 'dns1123-subdomain',
  });
  const spec = (node.spec ?? {}) as Rec;
  errs.push(...validateTaints(list(spec.taints)));
  errs.push(...validateNodeResources(node.status as Rec | undefined));
  const cidrs = Array.isArray(spec.podCIDRs) ? (spec.podCIDRs as string[]) : [];
  cidrs.forEach((c, i) =>
    errs.push(...isValidCIDR(c).map((m) => invalid(`spec.podCIDRs[${i}]`, c, m))),
  );
  return errs;
}

/** The update-only Node rules: podCIDRs and providerID fixed once set; unique addresses. */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (node.spec ?? {}) as Rec;
  const oldSpec = (old.spec ?? {}) as Rec;
  const seen = new Set<string>();
  list((node.status as Rec | undefined)?.addresses).forEach((a, i) => {
    const k = `${str(a.type)}\u0000${str(a.address)}`;
    if (seen.has(k)) {
      errs.push(
        duplicate(
          `status.addresses[${i}]`,
          goStruct('core.NodeAddress', [
            ['Type', str(a.type)],
            ['Address', str(a.address)],
          ]),
        ),
      );
    }
    seen.add(k);
  });
  const oldCidrs = (oldSpec.podCIDRs as string[] | undefined) ?? [];
  const cidrs = (spec.podCIDRs as string[] | undefined) ?? [];
  if (
    oldCidrs.length &&
    (oldCidrs.length !== cidrs.length || oldCidrs.some((c, i) => c !== cidrs[i]))
  ) {
    errs.push(
      forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'),
    );
  }
  if (str(oldSpec.providerID) && str(oldSpec.providerID) !== str(spec.providerID)) {
    errs.push(
      forbidden(
        'spec.providerID',
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  return errs;
}

const LIMITS: [string, number][] = [
  ['reportingInstance', 128],
  ['action', 128],
  ['reason', 128],
  ['message', 1024],
];

// Events with an eventTime are new-style: they must say who reported them and why.
function validateNewStyleEvent(ev: KubeObject, ns: string, involvedNs: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!involvedNs && ns !== 'default' && ns !== 'kube-system') {
    errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  const controller = str(ev.reportingComponent);
  if (!controller) {
    errs.push(required('reportingComponent'));
  }
  errs.push(...validateQualifiedName(controller, 'reportingComponent'));
  for (const [field, max] of LIMITS) {
    const value = str(ev[field]);
    if (!value && field !== 'message') {
      errs.push(required(field));
    }
    if (Buffer.byteLength(value) > max) {
      errs.push(invalid(field, '', `can have at most ${max} characters`));
    }
  }
  return errs;
}

/** legacyValidateEvent, the rule core/v1 applies to Events; then path-segment name rules. */
export function validateEvent(ev: KubeObject): FieldError[] {
  const ns = ev.metadata.namespace ?? '';
  const involvedNs = str((ev.involvedObject as Rec | undefined)?.namespace);
  const errs: FieldError[] = [];
  if (ev.eventTime) {
    errs.push(...validateNewStyleEvent(ev, ns, involvedNs));
  } else if (involvedNs ? ns !== involvedNs : ns !== '' && ns !== 'default') {
    errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => invalid('namespace', ns, m)));
  // Generic metadata checks run only once the kind's own validation passed (rest.BeforeCreate).
  return errs.length
    ? errs
    : validateObjectMeta(ev.metadata, { namespaced: true, nameRule: 'path-segment' });
}
