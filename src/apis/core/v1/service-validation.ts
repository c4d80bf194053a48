// Service validation (ValidateService, validateServicePort and the traffic-policy checks). Cluster
// IP and node port allocation, and the node port range, are the API layer's business.
import type { FieldError } from '../../../lib/errors.js';
import {
  child,
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { goRepr } from '../../validation/go-format.js';
import { validateLabels, validateQualifiedName } from '../../validation/labels.js';
import { validateName, validateObjectMeta } from '../../validation/object-meta.js';
import { isValidIP, isValidPortNum } from '../../validation/validators.js';
import { PROTOCOLS, validateDNSLabel, validatePortNumOrName } from './container-validation.js';
import { validateClusterIPFields } from './service-ips.js';
import { validateLoadBalancerFields, validateTrafficPolicies } from './service-traffic.js';
import type { Service, ServicePort, ServiceSpec } from './types.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const KUBELET_PORT = 10250;
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

/** A headless Service has exactly `clusterIPs: [None]`. */
export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None';
}

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) {
    errs.push(required(child(path, 'name')));
  } else if (sp.name) {
    errs.push(...validateDNSLabel(sp.name, child(path, 'name')));
    if (names.has(sp.name)) {
      errs.push(duplicate(child(path, 'name'), sp.name));
    }
    names.add(sp.name);
  }
  const port = sp.port ?? 0;
  errs.push(...isValidPortNum(port).map((m) => invalid(child(path, 'port'), port, m)));
  if (!sp.protocol) {
    errs.push(required(child(path, 'protocol')));
  } else if (!PROTOCOLS.includes(sp.protocol)) {
    errs.push(notSupported(child(path, 'protocol'), sp.protocol, PROTOCOLS));
  }
  errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  if (sp.appProtocol !== undefined) {
    errs.push(...validateQualifiedName(sp.appProtocol, child(path, 'appProtocol')));
  }
  return errs;
}

function validateTypeSpecific(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const headless = isHeadless(spec);
  if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') {
    if (spec.type === 'LoadBalancer') {
      (spec.ports ?? []).forEach((p, i) => {
        if (p.port === KUBELET_PORT) {
          errs.push(
            invalid(
              `spec.ports[${i}]`,
              p.port,
              `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`,
            ),
          );
        }
      });
    }
    if (headless) {
      errs.push(
        invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`),
      );
    }
  } else if (spec.type === 'ExternalName') {
    if (spec.clusterIPs?.length) {
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
    if (spec.ipFamilies?.length) {
      errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    }
    if (spec.ipFamilyPolicy !== undefined) {
      errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    }
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    errs.push(
      ...(cname
        ? validateName('dns1123-subdomain', cname).map((m) =>
            invalid('spec.externalName', cname, m),
          )
        : [required('spec.externalName')]),
    );
  }
  return errs;
}

function validateSessionAffinity(spec: ServiceSpec): FieldError[] {
  const affinity = spec.sessionAffinity;
  if (!affinity) {
    return [required('spec.sessionAffinity')];
  }
  if (affinity !== 'ClientIP' && affinity !== 'None') {
    return [notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None'])];
  }
  const path = 'spec.sessionAffinityConfig';
  if (affinity === 'None') {
    return spec.sessionAffinityConfig
      ? [forbidden(path, 'must not be set when session affinity is None')]
      : [];
  }
  const when = 'when session affinity type is ClientIP';
  if (!spec.sessionAffinityConfig) {
    return [required(path, when)];
  }
  if (!spec.sessionAffinityConfig.clientIP) {
    return [required(`${path}.clientIP`, when)];
  }
  const timeout = spec.sessionAffinityConfig.clientIP.timeoutSeconds;
  if (timeout === undefined) {
    return [required(`${path}.clientIP.timeoutSeconds`, when)];
  }
  return timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS
    ? [
        invalid(
          `${path}.clientIP.timeoutSeconds`,
          timeout,
          `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`,
        ),
      ]
    : [];
}

function validateExternalIPs(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`;
    const bad = isValidIP(ip);
    errs.push(
      ...(bad.length ? bad.map((m) => invalid(path, ip, m)) : validateNonSpecialIP(ip, path, true)),
    );
  });
  return errs;
}

/** Rejects unspecified, link-local and (optionally) loopback addresses. */
export function validateNonSpecialIP(
  ip: string,
  path: string,
  rejectLoopback: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(ip);
  const lower = ip.toLowerCase();
  if (ip === '0.0.0.0' || lower === '::') {
    errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  }
  if (rejectLoopback && ((v4 && ip.startsWith('127.')) || lower === '::1')) {
    errs.push(invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if ((v4 && ip.startsWith('169.254.')) || /^fe[89ab]/.test(lower)) {
    errs.push(invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if ((v4 && ip.startsWith('224.0.0.')) || lower.startsWith('ff02:')) {
    errs.push(
      invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'),
    );
  }
  return errs;
}

const goServicePortKey = (protocol: string, port: number): unknown =>
  goRepr(
    `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );

function validatePortUniqueness(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) {
        errs.push(
          forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"),
        );
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) {
      return;
    }
    const k = `${p.protocol ?? ''}/${p.nodePort}`;
    if (nodePorts.has(k)) {
      errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    }
    nodePorts.add(k);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${p.protocol ?? ''}/${p.port ?? 0}`;
    if (seen.has(k)) {
      errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(p.protocol ?? '', p.port ?? 0)));
    }
    seen.add(k);
  });
  return errs;
}

/** ValidateService, run on create and on every update. */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameRule: 'dns1035-label' });
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') {
    errs.push(required('spec.ports'));
  }
  errs.push(...validateTypeSpecific(spec));
  const names = new Set<string>();
  ports.forEach((p, i) =>
    errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)),
  );
  if (spec.selector) {
    errs.push(...validateLabels(spec.selector, 'spec.selector'));
  }
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateClusterIPFields(spec));
  errs.push(...validateExternalIPs(spec));
  if (!spec.type) {
    errs.push(required('spec.type'));
  } else if (!SERVICE_TYPES.includes(spec.type)) {
    errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  }
  errs.push(...validatePortUniqueness(spec));
  errs.push(...validateLoadBalancerFields(spec));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}
