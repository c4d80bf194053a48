// The routing table built from the claimed Ingresses: host buckets (exact, then `*.` wildcard,
// then rules without a host), paths by Kubernetes' precedence (longest first, Exact before
// Prefix on a tie; ImplementationSpecific as Prefix) and the default backend.
import { hostMatches, wildcardKey } from './host.js';
import type { Ingress, IngressBackend } from './types.js';
import { SSL_REDIRECT_ANNOTATION } from './types.js';

/** Where a request goes: a backend of one Ingress (its namespace scopes the Service name). */
export interface Route {
  /** `namespace/name` of the Ingress the route came from. */
  ingress: string;
  namespace: string;
  backend: IngressBackend;
  /** Plain-HTTP requests are redirected to HTTPS (the host has TLS, ssl-redirect is not off). */
  sslRedirect: boolean;
}

interface PathRule {
  path: string;
  isExact: boolean;
  route: Route;
}

type Bucket = PathRule[];

const creation = (ing: Ingress): string => ing.metadata.creationTimestamp ?? '';
const keyOfIngress = (ing: Ingress): string =>
  `${ing.metadata.namespace ?? ''}/${ing.metadata.name ?? ''}`;

/** Oldest first, then by namespace/name: on a conflict the older Ingress wins, as ingress-nginx. */
export function sortIngresses(ingresses: Ingress[]): Ingress[] {
  return [...ingresses].sort((a, b) => {
    const byTime = creation(a).localeCompare(creation(b));
    return byTime !== 0 ? byTime : keyOfIngress(a).localeCompare(keyOfIngress(b));
  });
}

/** Prefix matching by path elements: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`. */
export function prefixMatches(rulePath: string, path: string): boolean {
  const prefix = rulePath.endsWith('/') ? rulePath.slice(0, -1) : rulePath;
  if (prefix === '') {
    return true;
  }
  return path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/');
}

function hasTlsFor(ing: Ingress, host: string): boolean {
  return (ing.spec?.tls ?? []).some((t) =>
    host === '' ? (t.hosts ?? []).length === 0 : (t.hosts ?? []).some((h) => hostMatches(h, host)),
  );
}

function routeOf(ing: Ingress, backend: IngressBackend, host: string): Route {
  const redirectOff = ing.metadata.annotations?.[SSL_REDIRECT_ANNOTATION] === 'false';
  return {
    ingress: keyOfIngress(ing),
    namespace: ing.metadata.namespace ?? '',
    backend,
    sslRedirect: !redirectOff && hasTlsFor(ing, host),
  };
}

function comparePaths(a: PathRule, b: PathRule): number {
  if (a.path.length !== b.path.length) {
    return b.path.length - a.path.length;
  }
  return Number(b.isExact) - Number(a.isExact);
}

export class Router {
  private readonly exact = new Map<string, Bucket>();
  private readonly wildcard = new Map<string, Bucket>();
  private readonly catchAll: Bucket = [];
  private defaultRoute: Route | undefined;

  /** A router over these (already claimed) Ingresses. */
  static build(ingresses: Ingress[]): Router {
    const router = new Router();
    for (const ing of sortIngresses(ingresses)) {
      router.add(ing);
    }
    for (const bucket of [...router.exact.values(), ...router.wildcard.values(), router.catchAll]) {
      bucket.sort(comparePaths);
    }
    return router;
  }

  private add(ing: Ingress): void {
    const spec = ing.spec ?? {};
    if (spec.defaultBackend && !this.defaultRoute) {
      this.defaultRoute = routeOf(ing, spec.defaultBackend, '');
    }
    for (const rule of spec.rules ?? []) {
      const host = (rule.host ?? '').toLowerCase();
      const bucket = this.bucketFor(host);
      for (const p of rule.http?.paths ?? []) {
        const isExact = p.pathType === 'Exact';
        const path = p.path || '/';
        // The same host, path and type from a newer Ingress loses to the older one.
        if (!bucket.some((r) => r.path === path && r.isExact === isExact)) {
          bucket.push({ path, isExact, route: routeOf(ing, p.backend, host) });
        }
      }
    }
  }

  private bucketFor(host: string): Bucket {
    if (host === '') {
      return this.catchAll;
    }
    const [map, key] = host.startsWith('*.') ? [this.wildcard, host.slice(2)] : [this.exact, host];
    let bucket = map.get(key);
    if (!bucket) {
      bucket = [];
      map.set(key, bucket);
    }
    return bucket;
  }

  /** The route for a (normalized) host and a path without query; the default backend if no rule. */
  match(host: string, path: string): Route | undefined {
    const bucket = this.exact.get(host) ?? this.wildcard.get(wildcardKey(host)) ?? this.catchAll;
    for (const rule of bucket) {
      if (rule.isExact ? rule.path === path : prefixMatches(rule.path, path)) {
        return rule.route;
      }
    }
    return this.defaultRoute;
  }
}
