// Table tests of RepackSubsets, truncation at capacity and the per-pod subset computation.
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../apis/core/v1/types.js';
import { computeSubsets, MAX_CAPACITY, repackSubsets, truncateSubsets } from './subsets.js';
import type { EndpointAddress, EndpointSubset } from './types.js';

const a = (ip: string, uid = ''): EndpointAddress =>
  uid ? { ip, targetRef: { kind: 'Pod', uid } } : { ip };

describe('repackSubsets', () => {
  it.each<[string, EndpointSubset[], EndpointSubset[]]>([
    ['nothing', [], []],
    [
      'one address, two ports offered together',
      [
        { addresses: [a('10.0.0.1')], ports: [{ name: 'b', port: 2 }] },
        { addresses: [a('10.0.0.1')], ports: [{ name: 'a', port: 1 }] },
      ],
      [
        {
          addresses: [a('10.0.0.1')],
          ports: [
            { name: 'a', port: 1 },
            { name: 'b', port: 2 },
          ],
        },
      ],
    ],
    [
      'addresses of one port merged and sorted',
      [
        { addresses: [a('10.0.0.2')], ports: [{ port: 80 }] },
        { addresses: [a('10.0.0.1')], ports: [{ port: 80 }] },
        { notReadyAddresses: [a('10.0.0.3')], ports: [{ port: 80 }] },
      ],
      [
        {
          addresses: [a('10.0.0.1'), a('10.0.0.2')],
          notReadyAddresses: [a('10.0.0.3')],
          ports: [{ port: 80 }],
        },
      ],
    ],
    [
      'not ready wins over ready for the same address',
      [
        { addresses: [a('10.0.0.1')], ports: [{ port: 80 }] },
        { notReadyAddresses: [a('10.0.0.1')], ports: [{ port: 80 }] },
      ],
      [{ notReadyAddresses: [a('10.0.0.1')], ports: [{ port: 80 }] }],
    ],
    [
      'the same IP for two pods stays two addresses (host network)',
      [
        { addresses: [a('127.0.0.1', 'u2')], ports: [{ port: 80 }] },
        { addresses: [a('127.0.0.1', 'u1')], ports: [{ port: 80 }] },
      ],
      [{ addresses: [a('127.0.0.1', 'u1'), a('127.0.0.1', 'u2')], ports: [{ port: 80 }] }],
    ],
    [
      'different ports for different addresses stay apart',
      [
        { addresses: [a('127.0.0.1', 'u1')], ports: [{ port: 41001 }] },
        { addresses: [a('127.0.0.1', 'u2')], ports: [{ port: 41002 }] },
      ],
      [
        { addresses: [a('127.0.0.1', 'u1')], ports: [{ port: 41001 }] },
        { addresses: [a('127.0.0.1', 'u2')], ports: [{ port: 41002 }] },
      ],
    ],
    [
      'port-less subsets keep their addresses',
      [{ addresses: [a('10.0.0.2')] }, { addresses: [a('10.0.0.1')] }],
      [{ addresses: [a('10.0.0.1'), a('10.0.0.2')] }],
    ],
  ])('%s', (_name, input, want) => {
    expect(repackSubsets(input)).toEqual(want);
  });

  it('is independent of input order', () => {
    const input: EndpointSubset[] = [
      { addresses: [a('10.0.0.1')], ports: [{ port: 1 }] },
      { addresses: [a('10.0.0.2')], ports: [{ port: 2 }] },
      { notReadyAddresses: [a('10.0.0.3')], ports: [{ port: 1 }] },
    ];
    expect(repackSubsets([...input].reverse())).toEqual(repackSubsets(input));
  });
});

describe('truncateSubsets', () => {
  const many = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => a(`${prefix}.${Math.floor(i / 250)}.${i % 250}`));

  it('leaves subsets within capacity alone', () => {
    const subsets = [{ addresses: many(MAX_CAPACITY, '10.0') }];
    expect(truncateSubsets(subsets)).toBe(subsets);
  });

  it('drops not-ready addresses first, in proportion', () => {
    const out = truncateSubsets([
      { addresses: many(900, '10.0'), notReadyAddresses: many(100, '10.1'), ports: [{ port: 1 }] },
      { notReadyAddresses: many(100, '10.2'), ports: [{ port: 2 }] },
    ]);
    expect(out.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0])).toEqual([
      [900, 50],
      [0, 50],
    ]);
  });

  it('keeps only ready addresses when they alone exceed capacity', () => {
    const out = truncateSubsets([
      { addresses: many(1500, '10.0'), notReadyAddresses: many(10, '10.1') },
      { addresses: many(500, '10.2') },
    ]);
    expect(out.map((s) => [s.addresses?.length, s.notReadyAddresses?.length])).toEqual([
      [750, undefined],
      [250, undefined],
    ]);
  });
});

describe('computeSubsets', () => {
  const svc: Service = {
    metadata: { name: 'web', namespace: 'ns' },
    spec: { clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], ports: [{ port: 80, targetPort: 80 }] },
  };
  const pod = (name: string, ips: string[], extra: Partial<Pod['spec']> = {}): Pod => ({
    metadata: { name, namespace: 'ns', uid: `uid-${name}` },
    spec: { nodeName: 'n1', ...extra },
    status: {
      phase: 'Running',
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  });

  it('uses the pod IP of the Service family and publishes hostnames for its subdomain', () => {
    const out = computeSubsets(svc, [
      pod('a', ['fd00::1', '10.0.0.1'], { hostname: 'a', subdomain: 'web' }),
      pod('b', ['fd00::2']),
      pod('c', ['10.0.0.3'], { hostname: 'c', subdomain: 'other' }),
    ]);
    const target = (name: string) => ({ kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` });
    expect(out).toEqual([
      {
        addresses: [
          { ip: '10.0.0.1', hostname: 'a', nodeName: 'n1', targetRef: target('a') },
          { ip: '10.0.0.3', nodeName: 'n1', targetRef: target('c') },
        ],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
  });
});
