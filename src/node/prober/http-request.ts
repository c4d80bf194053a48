// Builds an httpGet probe's request as pkg/probe/http/request.go does: scheme, host (the pod IP
// by default), resolved port, path, Go-canonical headers with kube-probe's User-Agent and Accept.
import type { HTTPGetAction } from '../../apis/core/v1/types.js';
import { joinHostPort, resolveContainerPort } from './port.js';
import { PROBE_USER_AGENT, type ProbeTarget } from './types.js';

/** Where one request of a probe goes; redirects produce further locations. */
export interface HttpLocation {
  scheme: string;
  host: string;
  port: number;
  /** Path and query as sent on the request line, escaped as Go's URL.String() writes them. */
  path: string;
}

export interface HttpProbeRequest {
  location: HttpLocation;
  /** Canonical header names to values, Host excluded. */
  headers: Map<string, string[]>;
  /** The Host header the probe set ('' when unset): it overrides the URL's host. */
  host: string;
}

/** Go's textproto.CanonicalMIMEHeaderKey: `x-custom-header` becomes `X-Custom-Header`. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    return name;
  }
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => {
    return dash + c.toUpperCase();
  });
}

/** Escapes what Go's URL.String() escapes and Node refuses on a request line. */
function escapePath(path: string): string {
  let out = '';
  for (const ch of path) {
    const code = ch.codePointAt(0) ?? 0;
    out += code > 0x20 && code < 0x7f ? ch : encodeURIComponent(ch);
  }
  return out;
}

/** formatURL: the path may carry a query; a fragment is never sent. */
function requestPath(path: string): string {
  const noFragment = path.split('#', 1)[0] ?? '';
  if (noFragment === '') {
    return '';
  }
  return escapePath(
    noFragment.startsWith('/') || noFragment.startsWith('?') ? noFragment : `/${noFragment}`,
  );
}

/** The URL as Go prints it in errors: `http://127.0.0.1:8080/healthz`. */
export function locationHref(loc: HttpLocation): string {
  return `${loc.scheme}://${joinHostPort(loc.host, loc.port)}${loc.path}`;
}

/** The probe's headers plus upstream's User-Agent and Accept defaults; an empty Accept drops it. */
function probeHeaders(httpGet: HTTPGetAction, userAgent: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const h of httpGet.httpHeaders ?? []) {
    const key = canonicalHeaderKey(h.name ?? '');
    headers.set(key, [...(headers.get(key) ?? []), h.value ?? '']);
  }
  if (!headers.has('User-Agent')) {
    headers.set('User-Agent', [userAgent]);
  }
  if (!headers.has('Accept')) {
    headers.set('Accept', ['*/*']);
  } else if (headers.get('Accept')?.[0] === '') {
    headers.delete('Accept');
  }
  return headers;
}

/** NewRequestForHTTPGetAction; an error reads as upstream's port resolution error. */
export function newHttpProbeRequest(
  httpGet: HTTPGetAction,
  target: ProbeTarget,
  userAgent: string = PROBE_USER_AGENT,
): HttpProbeRequest | { error: string } {
  const port = resolveContainerPort(httpGet.port, target);
  if (port.error !== undefined) {
    return { error: port.error };
  }
  const headers = probeHeaders(httpGet, userAgent);
  const host = headers.get('Host')?.[0] ?? '';
  headers.delete('Host');
  return {
    location: {
      scheme: (httpGet.scheme ?? '').toLowerCase() || 'http',
      host: httpGet.host || target.ip,
      port: port.port,
      path: requestPath(httpGet.path ?? ''),
    },
    headers,
    host,
  };
}
