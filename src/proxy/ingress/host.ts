// Host names as Ingress rules and TLS entries match them: case-insensitive, the port stripped,
// and `*.example.com` matching exactly one extra leading label (networking/v1 IngressRule.host).

/** The host of a Host header (or SNI name): lower-cased, without port or IPv6 brackets. */
export function normalizeHost(header: string | undefined): string {
  if (!header) {
    return '';
  }
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  // More than one colon: a bare IPv6 address, which has no port.
  if (colon < 0 || host.indexOf(':', colon + 1) >= 0) {
    return host;
  }
  return host.slice(0, colon);
}

/** For `a.b.c` the wildcard key `b.c` that a rule `*.b.c` is stored under; '' for one label. */
export function wildcardKey(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? '' : host.slice(dot + 1);
}

/** Whether a rule or TLS host (maybe `*.x`) covers the request host. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    const key = wildcardKey(host);
    return key !== '' && key === p.slice(2);
  }
  return p === host;
}
