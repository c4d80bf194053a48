// EndpointSlice address checks per addressType (Kubernetes 1.32): IsValidIPv4Address /
// IsValidIPv6Address plus ValidateNonSpecialIP, or IsFullyQualifiedDomainName for FQDN.
import type { FieldError } from '../../lib/errors.js';
import type { ParsedIP } from '../autoscaling/ip.js';
import {
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  parseIP,
} from '../autoscaling/ip.js';
import { invalid, required } from '../validation/field-error.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/validators.js';

const SPECIAL: [test: (ip: ParsedIP) => boolean, message: (s: string) => string][] = [
  [isUnspecified, (s) => `may not be unspecified (${s})`],
  [isLoopback, () => 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
  [isLinkLocalUnicast, () => 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
  [
    isLinkLocalMulticast,
    () => 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
  ],
];

/** ValidateNonSpecialIP, optionally letting loopback addresses through. */
export function validateNonSpecialIP(
  address: string,
  path: string,
  allowLoopback: boolean,
): FieldError[] {
  const ip = parseIP(address);
  if (!ip) {
    return [invalid(path, address, 'must be a valid IP address')];
  }
  return SPECIAL.filter(([test]) => test(ip) && !(allowLoopback && test === isLoopback)).map(
    ([, message]) => invalid(path, address, message(address)),
  );
}

/** validation.IsFullyQualifiedDomainName. */
export function isFullyQualifiedDomainName(value: string, path: string): FieldError[] {
  if (value.length === 0) {
    return [required(path)];
  }
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const subdomain = isDNS1123Subdomain(name);
  if (subdomain.length > 0) {
    return [invalid(path, name, subdomain.join(','))];
  }
  const labels = name.split('.');
  if (labels.length < 2) {
    return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  }
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) {
      return [invalid(path, label, errs.join(','))];
    }
  }
  return [];
}

/** One endpoint address, checked by the slice's addressType (unknown types are not checked). */
export function validateEndpointAddress(
  address: string,
  path: string,
  addressType: string,
  allowLoopback: boolean,
): FieldError[] {
  const ip = parseIP(address);
  switch (addressType) {
    case 'IPv4':
      return [
        ...(ip?.is4 ? [] : [invalid(path, address, 'must be a valid IPv4 address')]),
        ...validateNonSpecialIP(address, path, allowLoopback),
      ];
    case 'IPv6':
      return [
        ...(ip && !ip.is4 ? [] : [invalid(path, address, 'must be a valid IPv6 address')]),
        ...validateNonSpecialIP(address, path, allowLoopback),
      ];
    case 'FQDN':
      return isFullyQualifiedDomainName(address, path);
    default:
      return [];
  }
}
