// Service traffic fields (validateServiceExternalTrafficPolicy, the internal traffic policy,
// trafficDistribution) and the LoadBalancer-only fields.
import type { FieldError } from '../../../lib/errors.js';
import { forbidden, index, invalid, notSupported, required } from '../../validation/field-error.js';
import { validateQualifiedName } from '../../validation/labels.js';
import { isValidCIDR, isValidPortNum } from '../../validation/validators.js';
import type { ServiceSpec } from './types.js';

const LB_ONLY = "may only be used when `type` is 'LoadBalancer'";

/** LoadBalancer, NodePort, or ClusterIP with external IPs (service.ExternallyAccessible). */
export function isExternallyAccessible(spec: ServiceSpec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0)
  );
}

/** LoadBalancer with externalTrafficPolicy Local needs a health check node port. */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** LoadBalancer-only fields used only with that type. */
export function validateLoadBalancerFields(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const isLB = spec.type === 'LoadBalancer';
  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    // Upstream reports this field with a capital L.
    const path = 'spec.LoadBalancerSourceRanges';
    if (!isLB) {
      errs.push(forbidden(path, LB_ONLY));
    }
    ranges.forEach((r, i) => {
      const v = r.trim();
      errs.push(...isValidCIDR(v).map((m) => invalid(index(path, i), v, m)));
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && !isLB) {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', LB_ONLY));
  }
  if (isLB && spec.allocateLoadBalancerNodePorts === undefined) {
    errs.push(required('allocateLoadBalancerNodePorts'));
  }
  if (spec.loadBalancerClass !== undefined) {
    errs.push(
      ...(isLB
        ? validateQualifiedName(spec.loadBalancerClass, 'spec.loadBalancerClass')
        : [forbidden('spec.loadBalancerClass', LB_ONLY)]),
    );
  }
  return errs;
}

function validateExternalTrafficPolicy(spec: ServiceSpec): FieldError[] {
  const etp = spec.externalTrafficPolicy;
  const path = 'spec.externalTrafficPolicy';
  if (!isExternallyAccessible(spec)) {
    return etp ? [invalid(path, etp, 'may only be set for externally-accessible services')] : [];
  }
  if (!etp) {
    return [required(path)];
  }
  return etp === 'Cluster' || etp === 'Local'
    ? []
    : [notSupported(path, etp, ['Cluster', 'Local'])];
}

function validateHealthCheckNodePort(spec: ServiceSpec): FieldError[] {
  const hc = spec.healthCheckNodePort ?? 0;
  const path = 'spec.healthCheckNodePort';
  if (!needsHealthCheck(spec)) {
    const msg =
      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
    return hc !== 0 ? [invalid(path, hc, msg)] : [];
  }
  return hc === 0 ? [required(path)] : isValidPortNum(hc).map((m) => invalid(path, hc, m));
}

/** External/internal traffic policy, health check node port, traffic distribution. */
export function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs = [...validateExternalTrafficPolicy(spec), ...validateHealthCheckNodePort(spec)];
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type ?? '')) {
    errs.push(required('spec.internalTrafficPolicy'));
  }
  if (itp !== undefined && itp !== 'Cluster' && itp !== 'Local') {
    errs.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return errs;
}
