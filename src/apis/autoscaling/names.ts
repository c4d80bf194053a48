// The name rules of apimachinery util/validation and api/validation/path (1.32) that the shared
// ../validation/validators.ts does not carry: wildcard subdomains, path segment names and
// domain-prefixed paths.
import type { FieldError } from '../../lib/errors.js';
import { invalid, required } from '../validation/field-error.js';
import { isDNS1123Subdomain, maxLenError, regexError } from '../validation/validators.js';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const WILDCARD_FMT = `\\*\\.${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const WILDCARD_RE = new RegExp(`^${WILDCARD_FMT}$`);
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** validation.IsWildcardDNS1123Subdomain. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) {
    errs.push(maxLenError(253));
  }
  if (!WILDCARD_RE.test(value)) {
    errs.push(regexError(WILDCARD_MSG, WILDCARD_FMT, '*.example.com'));
  }
  return errs;
}

/** path.IsValidPathSegmentName (names that become URL path segments). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') {
    return [`may not be '${name}'`];
  }
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** validation.IsDomainPrefixedPath (IngressClass controller). */
export function isDomainPrefixedPath(field: string, value: string): FieldError[] {
  if (value.length === 0) {
    return [required(field)];
  }
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || path.length === 0) {
    return [invalid(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((m) => invalid(field, host, m));
  if (!HTTP_PATH_RE.test(path)) {
    errs.push(invalid(field, path, regexError('Invalid path', HTTP_PATH_FMT)));
  }
  return errs;
}
