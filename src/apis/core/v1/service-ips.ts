// Service cluster IP and IP family rules (ValidateServiceClusterIPsRelatedFields and the
// update checks that keep allocated IPs and families fixed once set).
import { isIP } from 'node:net';
import type { FieldError } from '../../../lib/errors.js';
import {
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../validation/field-error.js';
import { goStringSlice } from '../../validation/go-format.js';
import { isValidIP } from '../../validation/validators.js';
import type { Service, ServiceSpec } from './types.js';

const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IPS = 'spec.clusterIPs';
const FAMILIES = 'spec.ipFamilies';

const headless = (spec: ServiceSpec): boolean =>
  spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None';

function validateFamilies(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') {
      errs.push(notSupported(`${FAMILIES}[${i}]`, f, ['IPv4', 'IPv6']));
    }
    if (seen.has(f)) {
      errs.push(duplicate(`${FAMILIES}[${i}]`, f));
    }
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, FAMILY_POLICIES));
  }
  return errs;
}

function matchFamilies(spec: ServiceSpec, ips: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const families = spec.ipFamilies ?? [];
  if (headless(spec) || families.length === 0) {
    return errs;
  }
  ips.forEach((ip, i) => {
    const family = families[i];
    if (family === 'IPv4' && isIP(ip) === 6) {
      errs.push(
        invalid(`${IPS}[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``),
      );
    }
    if (family === 'IPv6' && isIP(ip) !== 6) {
      errs.push(
        invalid(`${IPS}[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``),
      );
    }
  });
  return errs;
}

/** ClusterIP/ClusterIPs agree, are valid, at most one per family; families and policy valid. */
export function validateClusterIPFields(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') {
    return [];
  }
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) {
      errs.push(required(IPS));
    } else if (ips[0] !== spec.clusterIP) {
      errs.push(invalid(IPS, goStringSlice(ips), 'first value must match `clusterIP`'));
    }
  } else if (ips.length) {
    errs.push(invalid(IPS, goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  }
  errs.push(...validateFamilies(spec));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalid(IPS, goStringSlice(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    badIPs ||= msgs.length > 0;
    errs.push(...msgs.map((m) => invalid(`${IPS}[${i}]`, ip, m)));
  });
  if (ips.length > 2) {
    errs.push(invalid(IPS, goStringSlice(ips), 'may only hold up to 2 values'));
  }
  if (badIPs) {
    return errs;
  }
  if (ips.length > 1 && new Set(ips.map((ip) => isIP(ip))).size !== ips.length) {
    errs.push(
      invalid(IPS, goStringSlice(ips), 'may specify no more than one IP for each IP family'),
    );
  }
  errs.push(...matchFamilies(spec, ips));
  return errs;
}

const skipsIPChecks = (spec: ServiceSpec, old: ServiceSpec): boolean =>
  spec.type === 'ExternalName' || old.type === 'ExternalName';

function singleStackRequired(spec: ServiceSpec, what: string): FieldError[] {
  if (spec.ipFamilyPolicy === 'SingleStack') {
    return [];
  }
  const msg = `must be set to 'SingleStack' when releasing the secondary ${what}`;
  return [invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, msg)];
}

// The same number of values: none may change.
function unchanged(
  next: string[],
  prev: string[],
  path: (i: number) => string,
  shown: unknown,
): FieldError[] {
  return prev.flatMap((v, i) =>
    v !== next[i] ? [invalid(path(i), shown, 'may not change once set')] : [],
  );
}

function validateClusterIPsUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (skipsIPChecks(spec, old) || (headless(spec) && headless(old))) {
    return [];
  }
  const ips = spec.clusterIPs ?? [];
  const oldIPs = old.clusterIPs ?? [];
  const shown = goStringSlice(ips);
  if (oldIPs.length === ips.length) {
    return unchanged(ips, oldIPs, (i) => `${IPS}[${i}]`, shown);
  }
  const errs: FieldError[] = [];
  if (oldIPs.length > ips.length && ips.length === 0) {
    errs.push(invalid(`${IPS}[0]`, shown, 'primary clusterIP can not be unset'));
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid(`${IPS}[0]`, shown, 'may not change once set'));
  }
  if (oldIPs.length > ips.length && ips.length === 1) {
    errs.push(...singleStackRequired(spec, 'clusterIP'));
  }
  return errs;
}

function validateFamiliesUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (skipsIPChecks(spec, old) || headless(spec) || headless(old)) {
    return [];
  }
  const fams = spec.ipFamilies ?? [];
  const oldFams = old.ipFamilies ?? [];
  // Upstream reports every family change at index 0.
  const path = `${FAMILIES}[0]`;
  if (oldFams.length === fams.length) {
    return unchanged(fams, oldFams, () => path, goStringSlice(fams));
  }
  const errs: FieldError[] = [];
  const released = oldFams.length > fams.length;
  if (released && (spec.clusterIPs ?? []).length === 0) {
    errs.push(invalid(path, goStringSlice(fams), 'primary ipFamily can not be unset'));
  }
  if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
    errs.push(invalid(path, goStringSlice(spec.clusterIPs), 'may not change once set'));
  }
  if (released && fams.length === 1) {
    errs.push(...singleStackRequired(spec, 'ipFamily'));
  }
  return errs;
}

/** The update-only Service rules: cluster IPs and families fixed, health check port fixed. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const oldSpec = old.spec ?? {};
  const errs = [
    ...validateClusterIPsUpdate(spec, oldSpec),
    ...validateFamiliesUpdate(spec, oldSpec),
  ];
  const bothLB = spec.type === 'LoadBalancer' && oldSpec.type === 'LoadBalancer';
  if (bothLB && spec.loadBalancerClass !== oldSpec.loadBalancerClass) {
    errs.push(
      invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'),
    );
  }
  const hcBoth = [spec, oldSpec].every(
    (s) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local',
  );
  if (hcBoth && spec.healthCheckNodePort !== oldSpec.healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errs;
}
