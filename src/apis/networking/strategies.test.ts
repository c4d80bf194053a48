import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { ingressUpdateOptions, validateIngressSpec } from './ingress.js';
import { networkingStrategies } from './strategies.js';

const ingress = networkingStrategies.Ingress!;
const ingressClass = networkingStrategies.IngressClass!;

const backend = { service: { name: 'web', port: { number: 80 } } };
const path = (p: Record<string, unknown>) => ({ path: '/', pathType: 'Prefix', backend, ...p });

function ing(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default', ...(annotations && { annotations }) },
    spec,
  };
}

const withPath = (p: Record<string, unknown>) => ({ rules: [{ http: { paths: [path(p)] } }] });
const errors = (obj: KubeObject) => (ingress.validate?.(obj) ?? []).map((e) => [e.field, e.detail]);
const P = 'spec.rules[0].http.paths[0]';

describe('Ingress validation', () => {
  it.each<[string, Record<string, unknown>, string[][]]>([
    ['the tutorial ingress', { ingressClassName: 'kubeproc', ...withPath({}) }, []],
    [
      'no rules and no default backend',
      {},
      [
        [
          'spec',
          'Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
        ],
      ],
    ],
    [
      'an empty rules list',
      { rules: [] },
      [
        [
          'spec',
          'Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified',
        ],
      ],
    ],
    ['a default backend only', { defaultBackend: backend }, []],
    [
      'missing pathType',
      withPath({ pathType: undefined }),
      [[`${P}.pathType`, 'Required value: pathType must be specified']],
    ],
    [
      'an unknown pathType',
      withPath({ pathType: 'Regex' }),
      [
        [
          `${P}.pathType`,
          'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
        ],
      ],
    ],
    [
      'a relative Prefix path',
      withPath({ path: 'api' }),
      [[`${P}.path`, 'Invalid value: "api": must be an absolute path']],
    ],
    [
      'a path with // and a /.. suffix',
      withPath({ pathType: 'Exact', path: '/a//b/..' }),
      [
        [`${P}.path`, `Invalid value: "/a//b/..": must not contain '//'`],
        [`${P}.path`, `Invalid value: "/a//b/..": cannot end with '/..'`],
      ],
    ],
    [
      'an empty ImplementationSpecific path',
      withPath({ pathType: 'ImplementationSpecific', path: '' }),
      [],
    ],
    [
      'a relative ImplementationSpecific path',
      withPath({ pathType: 'ImplementationSpecific', path: 'x' }),
      [[`${P}.path`, 'Invalid value: "x": must be an absolute path']],
    ],
    [
      'no http paths',
      { rules: [{ host: 'a.example.com', http: { paths: [] } }] },
      [['spec.rules[0].http.paths', 'Required value']],
    ],
    [
      'both port name and number',
      withPath({ backend: { service: { name: 'web', port: { number: 80, name: 'http' } } } }),
      [[`${P}.backend`, 'Invalid value: "": cannot set both port name & port number']],
    ],
    [
      'no port',
      withPath({ backend: { service: { name: 'web', port: {} } } }),
      [[`${P}.backend`, 'Required value: port name or number is required']],
    ],
    [
      'port number out of range',
      withPath({ backend: { service: { name: 'web', port: { number: 70000 } } } }),
      [
        [
          `${P}.backend.service.port.number`,
          'Invalid value: 70000: must be between 1 and 65535, inclusive',
        ],
      ],
    ],
    [
      'a service backend without a name',
      withPath({ backend: { service: { port: { name: 'http' } } } }),
      [[`${P}.backend.service.name`, 'Required value']],
    ],
    [
      'no backend at all',
      withPath({ backend: {} }),
      [[`${P}.backend`, 'Invalid value: "": resource or service backend is required']],
    ],
    [
      'both resource and service',
      withPath({ backend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } }),
      [[`${P}.backend`, 'Invalid value: "": cannot set both resource and service backends']],
    ],
    [
      'a resource backend',
      withPath({
        backend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b' } },
      }),
      [],
    ],
    [
      'an IP host',
      { rules: [{ host: '10.0.0.1', http: { paths: [path({})] } }] },
      [['spec.rules[0].host', 'Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    ],
    ['a wildcard host', { rules: [{ host: '*.example.com', http: { paths: [path({})] } }] }, []],
  ])('%s', (_name, spec, expected) => {
    expect(errors(ing(spec))).toEqual(expected);
  });

  it('rejects a kubernetes.io/ingress.class annotation that disagrees with ingressClassName', () => {
    const obj = ing(
      { ingressClassName: 'nginx', ...withPath({}) },
      { 'kubernetes.io/ingress.class': 'traefik' },
    );
    expect(errors(obj)).toEqual([
      [
        'annotations.kubernetes.io/ingress.class',
        'Invalid value: "traefik": must match `ingressClassName` when both are specified',
      ],
    ]);
  });

  it('checks TLS hosts and secret names', () => {
    const obj = ing({
      ...withPath({}),
      tls: [{ hosts: ['a.example.com', '*.b.example.com', 'x..y'], secretName: 'tls' }],
    });
    const errs = errors(obj);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.[0]).toBe('spec.tls[0].hosts[2]');
    expect(errs[0]?.[1]).toMatch(
      /^Invalid value: "x..y": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  it('relaxes secret names for objects that already carried an invalid one', () => {
    const spec = { ...withPath({}), tls: [{ secretName: 'Bad_Name' }] };
    const opts = ingressUpdateOptions(ing(spec));
    expect(opts).toEqual({ allowInvalidSecretName: true, allowInvalidWildcardHostRule: false });
    expect(validateIngressSpec(spec, opts)).toEqual([]);
    expect(validateIngressSpec(spec, { ...opts, allowInvalidSecretName: false })).toHaveLength(1);
  });
});

describe('IngressClass', () => {
  const ic = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'kubeproc' },
    spec,
  });
  const icErrors = (spec: Record<string, unknown>) => {
    const obj = ic(spec);
    ingressClass.default?.(obj);
    return (ingressClass.validate?.(obj) ?? []).map((e) => [e.field, e.detail]);
  };

  it('defaults the parameters scope to Cluster', () => {
    const obj = ic({
      controller: 'kubeproc.io/ingress',
      parameters: { kind: 'Config', name: 'c' },
    });
    ingressClass.default?.(obj);
    expect(obj.spec).toEqual({
      controller: 'kubeproc.io/ingress',
      parameters: { kind: 'Config', name: 'c', scope: 'Cluster' },
    });
  });

  it.each<[string, Record<string, unknown>, string[][]]>([
    ['a valid class', { controller: 'k8s.io/ingress-nginx' }, []],
    ['no controller', {}, [['spec.controller', 'Required value']]],
    [
      'a controller without a domain',
      { controller: 'nginx' },
      [
        [
          'spec.controller',
          'Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
        ],
      ],
    ],
    [
      'a long controller',
      { controller: `example.com/${'x'.repeat(250)}` },
      [['spec.controller', 'Too long: may not be more than 250 bytes']],
    ],
    [
      'namespace-scoped parameters without a namespace',
      { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', scope: 'Namespace' } },
      [['spec.parameters.namespace', "Required value: `parameters.scope` is set to 'Namespace'"]],
    ],
    [
      'cluster-scoped parameters with a namespace',
      { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', namespace: 'x' } },
      [['spec.parameters.namespace', "Forbidden: `parameters.scope` is set to 'Cluster'"]],
    ],
    [
      'an unknown scope',
      { controller: 'a.io/b', parameters: { kind: 'K', name: 'n', scope: 'World' } },
      [
        [
          'spec.parameters.scope',
          'Unsupported value: "World": supported values: "Cluster", "Namespace"',
        ],
      ],
    ],
    [
      'parameters without kind and name',
      { controller: 'a.io/b', parameters: {} },
      [
        ['spec.parameters.kind', 'Required value'],
        ['spec.parameters.name', 'Required value'],
      ],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(icErrors(spec)).toEqual(expected);
  });

  it('keeps the controller immutable', () => {
    const errs = ingressClass.validateUpdate?.(
      ic({ controller: 'a.io/new' }),
      ic({ controller: 'a.io/old' }),
    );
    expect(errs).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.controller',
        detail: 'Invalid value: "a.io/new": field is immutable',
      },
    ]);
    expect(
      ingressClass.validateUpdate?.(ic({ controller: 'a.io/x' }), ic({ controller: 'a.io/x' })),
    ).toEqual([]);
  });
});
