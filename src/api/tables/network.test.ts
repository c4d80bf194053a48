import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../apis/meta.js';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  formatHosts,
  ingressClassPrinter,
  ingressPrinter,
  servicePrinter,
  servicePorts,
} from './network.js';

type Json = Record<string, unknown>;
const now = new Date('2025-01-10T12:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2025-01-10T11:00:00Z' };
const obj = (fields: Json): KubeObject => ({ metadata: meta, ...fields });

describe('service printer', () => {
  const svc = (spec: Json, status?: Json): KubeObject =>
    obj({ spec: { selector: { app: 'web' }, ...spec }, status });
  const http = [{ port: 80, targetPort: 8080, protocol: 'TCP' }];

  it.each<[string, KubeObject, unknown[]]>([
    [
      'cluster IP',
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: http }),
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60m', 'app=web'],
    ],
    [
      'node port',
      svc({
        type: 'NodePort',
        clusterIPs: ['10.96.0.11'],
        ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
      }),
      ['web', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP', '60m', 'app=web'],
    ],
    [
      'cluster IP with external IPs',
      svc({
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.12'],
        externalIPs: ['1.2.3.4', '5.6.7.8'],
        ports: http,
      }),
      ['web', 'ClusterIP', '10.96.0.12', '1.2.3.4,5.6.7.8', '80/TCP', '60m', 'app=web'],
    ],
    [
      'load balancer pending',
      svc({
        type: 'LoadBalancer',
        clusterIPs: ['10.96.0.13'],
        ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }],
      }),
      ['web', 'LoadBalancer', '10.96.0.13', '<pending>', '80:31000/TCP', '60m', 'app=web'],
    ],
    [
      'load balancer with ingress',
      svc(
        { type: 'LoadBalancer', clusterIPs: ['10.96.0.14'], ports: http },
        {
          loadBalancer: {
            ingress: [
              { ip: '192.168.1.20' },
              { hostname: 'lb.example.com' },
              { ip: '192.168.1.10' },
              { ip: '192.168.1.10' },
            ],
          },
        },
      ),
      [
        'web',
        'LoadBalancer',
        '10.96.0.14',
        '192.168.1.10,192.168.1.20,lb.example.com',
        '80/TCP',
        '60m',
        'app=web',
      ],
    ],
    [
      'load balancer plus external IPs',
      svc(
        { type: 'LoadBalancer', clusterIPs: ['10.96.0.15'], externalIPs: ['9.9.9.9'], ports: http },
        { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } },
      ),
      ['web', 'LoadBalancer', '10.96.0.15', '192.168.1.10,9.9.9.9', '80/TCP', '60m', 'app=web'],
    ],
    [
      'external name',
      svc({ type: 'ExternalName', externalName: 'db.example.com', selector: undefined }),
      ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '60m', '<none>'],
    ],
    [
      'headless',
      svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: http }),
      ['web', 'ClusterIP', 'None', '<none>', '80/TCP', '60m', 'app=web'],
    ],
    [
      'clusterIP without clusterIPs',
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.16', ports: http }),
      ['web', 'ClusterIP', '10.96.0.16', '<none>', '80/TCP', '60m', 'app=web'],
    ],
    [
      'sorted multi-label selector',
      svc({
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.17'],
        ports: http,
        selector: { tier: 'fe', app: 'web' },
      }),
      ['web', 'ClusterIP', '10.96.0.17', '<none>', '80/TCP', '60m', 'app=web,tier=fe'],
    ],
    [
      'unknown type',
      svc({ type: 'Weird', clusterIPs: ['10.96.0.18'], ports: http }),
      ['web', 'Weird', '10.96.0.18', '<unknown>', '80/TCP', '60m', 'app=web'],
    ],
  ])('%s', (_name, o, want) => {
    expect(servicePrinter.cells(o, now)).toEqual(want);
  });

  it.each<[Json[] | undefined, string]>([
    [undefined, '<none>'],
    [[], '<none>'],
    [
      [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
      '53/UDP,53/TCP',
    ],
    [
      [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 443, nodePort: 30443, protocol: 'TCP' },
      ],
      '80:30080/TCP,443:30443/TCP',
    ],
    [[{ port: 8080 }], '8080/TCP'],
    [[{ port: 80, nodePort: 0, protocol: 'SCTP' }], '80/SCTP'],
  ])('PORT(S) of %j is %s', (ports, want) => {
    expect(servicePorts(ports)).toBe(want);
  });

  it('has the upstream columns', () => {
    expect(servicePrinter.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Type:0',
      'Cluster-IP:0',
      'External-IP:0',
      'Port(s):0',
      'Age:0',
      'Selector:1',
    ]);
  });
});

describe('endpoints printer', () => {
  const addrs = (...ips: string[]): Json[] => ips.map((ip) => ({ ip }));
  it.each<[string, Json[] | undefined, string]>([
    ['no subsets', undefined, '<none>'],
    ['empty subsets', [], '<none>'],
    [
      'one port',
      [{ addresses: addrs('10.244.0.5', '10.244.0.6'), ports: [{ port: 8080, protocol: 'TCP' }] }],
      '10.244.0.5:8080,10.244.0.6:8080',
    ],
    [
      'truncated after three',
      [
        {
          addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'),
          ports: [{ port: 80 }],
        },
      ],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...',
    ],
    [
      'every port of every address',
      [
        {
          addresses: addrs('10.0.0.1', '10.0.0.2'),
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443 },
          ],
        },
      ],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
    ],
    ['headless without ports', [{ addresses: addrs('10.0.0.1', '10.0.0.2') }], '10.0.0.1,10.0.0.2'],
    ['IPv6', [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
    [
      'only not-ready addresses',
      [{ notReadyAddresses: addrs('10.0.0.9'), ports: [{ port: 80 }] }],
      '',
    ],
    [
      'several subsets',
      [
        { addresses: addrs('10.0.0.1'), ports: [{ port: 80 }] },
        { addresses: addrs('10.0.0.2'), ports: [{ port: 81 }] },
      ],
      '10.0.0.1:80,10.0.0.2:81',
    ],
  ])('%s', (_name, subsets, want) => {
    expect(endpointsPrinter.cells(obj({ subsets }), now)).toEqual(['web', want, '60m']);
  });
});

describe('endpointslice printer', () => {
  it.each<[string, Json, unknown[]]>([
    [
      'ports and addresses',
      {
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }],
      },
      ['web', 'IPv4', '8080', '10.0.0.1,10.0.0.2', '60m'],
    ],
    [
      'empty slice',
      { addressType: 'IPv4', ports: null, endpoints: [] },
      ['web', 'IPv4', '<unset>', '<unset>', '60m'],
    ],
    [
      'port by name, and wildcard',
      {
        addressType: 'IPv6',
        ports: [{ name: 'dns' }, {}],
        endpoints: [{ addresses: ['fd00::1'] }],
      },
      ['web', 'IPv6', 'dns,*', 'fd00::1', '60m'],
    ],
    [
      'more than three',
      {
        addressType: 'IPv4',
        ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }],
        endpoints: [{ addresses: ['a', 'b'] }, { addresses: ['c', 'd', 'e'] }],
      },
      ['web', 'IPv4', '1,2,3 + 1 more...', 'a,b,c + 2 more...', '60m'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(endpointSlicePrinter.cells(obj(fields), now)).toEqual(want);
  });
});

describe('ingress printer', () => {
  it.each<[{ host?: string }[] | undefined, string]>([
    [undefined, '*'],
    [[{}], '*'],
    [[{ host: 'a.example.com' }], 'a.example.com'],
    [[{ host: 'a' }, {}, { host: 'b' }], 'a,b'],
    [[{ host: 'a' }, { host: 'b' }, { host: 'c' }], 'a,b,c'],
    [
      [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }],
      'a,b,c + 2 more...',
    ],
    [[{}, { host: 'a' }, { host: 'b' }, { host: 'c' }, {}], 'a,b,c + 2 more...'],
  ])('HOSTS of %j is %s', (rules, want) => {
    expect(formatHosts(rules)).toBe(want);
  });

  it.each<[string, Json, unknown[]]>([
    [
      'plain',
      { spec: { ingressClassName: 'nginx', rules: [{ host: 'web.local' }] } },
      ['web', 'nginx', 'web.local', '', '80', '60m'],
    ],
    [
      'no class, TLS, address',
      {
        spec: { rules: [{}], tls: [{ hosts: ['web.local'] }] },
        status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }, { hostname: 'localhost' }] } },
      },
      ['web', '<none>', '*', '127.0.0.1,localhost', '80, 443', '60m'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(ingressPrinter.cells(obj(fields), now)).toEqual(want);
  });
});

describe('ingressclass printer', () => {
  it.each<[string, Json, unknown[]]>([
    [
      'no parameters',
      { spec: { controller: 'kubeproc.dev/ingress' } },
      ['web', 'kubeproc.dev/ingress', '<none>', '60m'],
    ],
    [
      'core parameters',
      { spec: { controller: 'c', parameters: { kind: 'ConfigMap', name: 'cfg' } } },
      ['web', 'c', 'ConfigMap/cfg', '60m'],
    ],
    [
      'group parameters',
      {
        spec: {
          controller: 'c',
          parameters: { apiGroup: 'example.com', kind: 'Params', name: 'p' },
        },
      },
      ['web', 'c', 'Params.example.com/p', '60m'],
    ],
  ])('%s', (_name, fields, want) => {
    expect(ingressClassPrinter.cells(obj(fields), now)).toEqual(want);
  });
});
