// Service validation and update rules, one broken field at a time.
import { describe, expect, it } from 'vitest';
import { coreV1Strategies } from './strategies.js';
import type { Service } from './types.js';

const strategy = coreV1Strategies.Service!;

function svc(
  spec: Service['spec'] = { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
): Service {
  const s: Service = { metadata: { name: 'web', namespace: 'default' }, spec };
  strategy.default!(s);
  return s;
}

const check = (s: Service): string[] => strategy.validate!(s).map((e) => `${e.field}: ${e.detail}`);

describe('Service validation', () => {
  it('accepts a defaulted service, before and after IP allocation', () => {
    const s = svc();
    expect(check(s)).toEqual([]);
    s.spec!.clusterIP = '10.96.0.10';
    s.spec!.clusterIPs = ['10.96.0.10'];
    expect(check(s)).toEqual([]);
  });

  it.each<[string, (s: Service) => void, string[]]>([
    ['no ports', (s) => (s.spec!.ports = []), ['spec.ports: Required value']],
    [
      'port 0',
      (s) => (s.spec!.ports![0]!.port = 0),
      ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'bad target port',
      (s) => (s.spec!.ports![0]!.targetPort = 70000),
      ['spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'unnamed second port',
      (s) => {
        s.spec!.ports![0]!.name = 'http';
        s.spec!.ports!.push({ port: 443, protocol: 'TCP', targetPort: 443 });
      },
      ['spec.ports[1].name: Required value'],
    ],
    [
      'duplicate port',
      (s) => s.spec!.ports!.push({ name: 'again', port: 80, protocol: 'TCP', targetPort: 80 }),
      [
        'spec.ports[0].name: Required value',
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    [
      'type',
      (s) => (s.spec!.type = 'Internal'),
      [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      'nodePort on ClusterIP',
      (s) => (s.spec!.ports![0]!.nodePort = 30000),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'selector label',
      (s) => (s.spec!.selector = { app: 'a b' }),
      [
        `spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'session affinity',
      (s) => (s.spec!.sessionAffinity = 'Cookie'),
      ['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ],
    [
      'clusterIPs out of sync',
      (s) => {
        s.spec!.clusterIP = '10.0.0.1';
        s.spec!.clusterIPs = ['10.0.0.2'];
      },
      ['spec.clusterIPs: Invalid value: []string{"10.0.0.2"}: first value must match `clusterIP`'],
    ],
    [
      'external traffic policy on ClusterIP',
      (s) => (s.spec!.externalTrafficPolicy = 'Local'),
      [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
      ],
    ],
    [
      'bad service name',
      (s) => (s.metadata.name = '1web'),
      [
        `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
  ])('%s', (_n, mutate, expected) => {
    const s = svc();
    mutate(s);
    expect(check(s)).toEqual(expected);
  });

  it('accepts headless and ExternalName services without ports', () => {
    expect(check(svc({ clusterIP: 'None', selector: { app: 'db' } }))).toEqual([]);
    expect(check(svc({ type: 'ExternalName', externalName: 'db.example.com.' }))).toEqual([]);
  });

  it('requires an external name', () => {
    expect(check(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
  });

  it('rejects a headless NodePort service', () => {
    expect(check(svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
    ]);
  });
});

describe('Service update', () => {
  const allocated = (): Service => {
    const s = svc();
    s.spec!.clusterIP = '10.96.0.10';
    s.spec!.clusterIPs = ['10.96.0.10'];
    return s;
  };

  it('keeps the cluster IP fixed', () => {
    const old = allocated();
    const next = structuredClone(old);
    next.spec!.clusterIP = '10.96.0.11';
    next.spec!.clusterIPs = ['10.96.0.11'];
    expect(strategy.validateUpdate!(next, old).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
    ]);
  });

  it('allows changing ports and selector', () => {
    const old = allocated();
    const next = structuredClone(old);
    next.spec!.ports![0]!.port = 81;
    next.spec!.selector = { app: 'other' };
    expect(strategy.validateUpdate!(next, old)).toEqual([]);
  });
});
