import { describe, expect, it } from 'vitest';
import { hostMatches, normalizeHost } from './host.js';
import { prefixMatches, Router } from './router.js';
import type { Ingress, IngressRule } from './types.js';

function ingress(
  name: string,
  rules: IngressRule[],
  extra: Partial<NonNullable<Ingress['spec']>> = {},
  meta: Partial<Ingress['metadata']> = {},
): Ingress {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', ...meta },
    spec: { rules, ...extra },
  };
}

const svc = (name: string, number = 80) => ({ service: { name, port: { number } } });

function paths(host: string | undefined, list: [string, string, string][]): IngressRule {
  return {
    ...(host !== undefined ? { host } : {}),
    http: {
      paths: list.map(([path, pathType, service]) => ({ path, pathType, backend: svc(service) })),
    },
  };
}

/** The Service a request reaches, or '-' for none. */
function target(router: Router, host: string, path: string): string {
  return router.match(host, path)?.backend.service?.name ?? '-';
}

describe('prefixMatches', () => {
  // The Kubernetes documentation's table of Prefix matches (Ingress "Examples").
  it.each([
    ['/', '/anything', true],
    ['/foo', '/foo', true],
    ['/foo/', '/foo', true],
    ['/foo', '/foo/', true],
    ['/foo/', '/foo/', true],
    ['/aaa/bb', '/aaa/bbb', false],
    ['/aaa/bbb', '/aaa/bbb', true],
    ['/aaa/bbb/', '/aaa/bbb', true],
    ['/aaa/bbb', '/aaa/bbb/', true],
    ['/aaa/bbb', '/aaa/bbb/ccc', true],
    ['/aaa/bbb', '/aaa/bbbxyz', false],
    ['/foo', '/Foo', false],
  ])('%s matches %s: %s', (rule, path, expected) => {
    expect(prefixMatches(rule, path)).toBe(expected);
  });
});

describe('hosts', () => {
  it.each([
    ['Example.COM:8080', 'example.com'],
    ['[::1]:80', '::1'],
    ['::1', '::1'],
    ['127.0.0.1', '127.0.0.1'],
    [undefined, ''],
  ])('normalizeHost(%s) = %s', (header, expected) => {
    expect(normalizeHost(header)).toBe(expected);
  });

  it.each([
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['foo.com', 'foo.com', true],
    ['FOO.com', 'foo.com', true],
  ])('%s covers %s: %s', (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });
});

describe('Router', () => {
  const router = Router.build([
    ingress('paths', [
      paths(undefined, [
        ['/', 'Prefix', 'root'],
        ['/foo', 'Prefix', 'foo-prefix'],
        ['/foo', 'Exact', 'foo-exact'],
        ['/foo/bar', 'Prefix', 'foobar'],
        ['/impl', 'ImplementationSpecific', 'impl'],
        ['/only', 'Exact', 'only'],
      ]),
    ]),
    ingress('hosts', [
      paths('app.example.com', [['/', 'Prefix', 'app']]),
      paths('*.example.com', [['/', 'Prefix', 'wild']]),
      paths('exact.example.com', [['/x', 'Exact', 'exact-x']]),
    ]),
  ]);

  it.each([
    ['', '/', 'root'],
    ['', '/anything/else', 'root'],
    ['', '/foo', 'foo-exact'],
    ['', '/foo/', 'foo-prefix'],
    ['', '/foo/baz', 'foo-prefix'],
    ['', '/foobar', 'root'],
    ['', '/foo/bar/baz', 'foobar'],
    ['', '/impl/x', 'impl'],
    ['', '/only', 'only'],
    ['', '/only/x', 'root'],
    ['127.0.0.1', '/foo/bar', 'foobar'],
    ['app.example.com', '/any', 'app'],
    ['other.example.com', '/any', 'wild'],
    ['a.b.example.com', '/', 'root'],
    ['exact.example.com', '/x', 'exact-x'],
    // A host with rules of its own never falls back to the rules without a host.
    ['exact.example.com', '/y', '-'],
  ])('host %j path %s -> %s', (host, path, expected) => {
    expect(target(router, host, path)).toBe(expected);
  });

  it('prefers the older Ingress for the same host and path, and uses the first defaultBackend', () => {
    const r = Router.build([
      ingress(
        'newer',
        [paths(undefined, [['/', 'Prefix', 'new']])],
        {
          defaultBackend: svc('new-default'),
        },
        { creationTimestamp: '2026-02-01T00:00:00Z' },
      ),
      ingress('older', [paths('h.example.com', [['/', 'Prefix', 'old']])], {
        defaultBackend: svc('old-default'),
      }),
    ]);
    expect(target(r, '', '/x')).toBe('new');
    expect(target(r, 'h.example.com', '/x')).toBe('old');
    expect(Router.build([]).match('', '/')).toBeUndefined();
    const onlyDefault = Router.build([
      ingress('d', [paths('h.example.com', [['/a', 'Exact', 'a']])], {
        defaultBackend: svc('dflt'),
      }),
    ]);
    expect(target(onlyDefault, 'h.example.com', '/b')).toBe('dflt');
    expect(target(onlyDefault, 'other', '/')).toBe('dflt');
  });

  it('scopes routes to the Ingress namespace and redirects TLS hosts unless told not to', () => {
    const r = Router.build([
      ingress(
        'tls',
        [
          paths('secure.example.com', [['/', 'Prefix', 's']]),
          paths('plain.example.com', [['/', 'Prefix', 'p']]),
        ],
        { tls: [{ hosts: ['secure.example.com'], secretName: 'cert' }] },
        { namespace: 'shop' },
      ),
      ingress(
        'off',
        [paths('off.example.com', [['/', 'Prefix', 'o']])],
        { tls: [{ hosts: ['off.example.com'], secretName: 'cert' }] },
        { annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
      ),
    ]);
    expect(r.match('secure.example.com', '/')).toMatchObject({
      ingress: 'shop/tls',
      namespace: 'shop',
      sslRedirect: true,
    });
    expect(r.match('plain.example.com', '/')?.sslRedirect).toBe(false);
    expect(r.match('off.example.com', '/')?.sslRedirect).toBe(false);
  });
});
