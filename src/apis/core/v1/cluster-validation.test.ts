// Namespace, ServiceAccount, Endpoints, Node and Event validation.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../meta.js';
import { coreV1Strategies } from './strategies.js';

const msgs = (errs: { field: string; detail: string }[]): string[] =>
  errs.map((e) => `${e.field}: ${e.detail}`);
const validate = (kind: string, obj: KubeObject): string[] => {
  const s = coreV1Strategies[kind]!;
  s.default?.(obj);
  return msgs(s.validate!(obj));
};

describe('Namespace', () => {
  it('accepts a DNS label name', () => {
    expect(validate('Namespace', { metadata: { name: 'team-a' } })).toEqual([]);
  });
  it('rejects dots and a namespace on itself', () => {
    expect(validate('Namespace', { metadata: { name: 'a.b', namespace: 'x' } })).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });
  it('checks spec.finalizers', () => {
    expect(
      validate('Namespace', { metadata: { name: 'a' }, spec: { finalizers: ['mine'] } }),
    ).toEqual([
      'spec.finalizers: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('ServiceAccount', () => {
  it('uses the subdomain rule', () => {
    expect(validate('ServiceAccount', { metadata: { name: 'ci.bot', namespace: 'x' } })).toEqual(
      [],
    );
  });
});

describe('Endpoints', () => {
  const ep = (subsets: unknown[]): KubeObject => ({
    metadata: { name: 'web', namespace: 'x' },
    subsets,
  });
  it('accepts loopback pod addresses, which kubeproc pods use', () => {
    expect(
      validate('Endpoints', ep([{ addresses: [{ ip: '127.0.0.5' }], ports: [{ port: 8080 }] }])),
    ).toEqual([]);
  });
  it.each<[string, unknown[], string[]]>([
    [
      'empty subset',
      [{ ports: [{ port: 80 }] }],
      ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`'],
    ],
    [
      'bad ip',
      [{ addresses: [{ ip: 'x' }] }],
      [
        'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address',
      ],
    ],
    [
      'link-local ip',
      [{ addresses: [{ ip: '169.254.1.1' }] }],
      [
        'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      ],
    ],
    [
      'two unnamed ports',
      [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { name: 'b', port: 81 }] }],
      ['subsets[0].ports[0].name: Required value'],
    ],
  ])('%s', (_n, subsets, expected) => {
    expect(validate('Endpoints', ep(subsets))).toEqual(expected);
  });
});

describe('Node', () => {
  it('accepts a node with capacity', () => {
    expect(
      validate('Node', {
        metadata: { name: 'kubeproc' },
        status: { capacity: { cpu: '8', pods: '110' } },
      }),
    ).toEqual([]);
  });
  it('checks taints where upstream reports them', () => {
    expect(
      validate('Node', {
        metadata: { name: 'n' },
        spec: { taints: [{ key: 'k', effect: 'Sometimes' }] },
      }),
    ).toEqual([
      'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
  it('rejects fractional pod capacity', () => {
    expect(
      validate('Node', { metadata: { name: 'n' }, status: { capacity: { pods: '1.5' } } }),
    ).toEqual([
      'status.capacity.pods: Invalid value: "1500m": must be an integer',
      'status.allocatable.pods: Invalid value: "1500m": must be an integer',
    ]);
  });
  it('keeps podCIDRs fixed once set', () => {
    const old = { metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/24'] } };
    const next = { metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.1.0/24'] } };
    expect(msgs(coreV1Strategies.Node!.validateUpdate!(next, old))).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    ]);
  });
});

describe('Event', () => {
  const involved = { kind: 'Pod', name: 'p', namespace: 'x' };
  it('accepts a legacy event', () => {
    expect(
      validate('Event', {
        metadata: { name: 'p.1', namespace: 'x' },
        involvedObject: involved,
        reason: 'Started',
      }),
    ).toEqual([]);
  });
  it('requires matching namespaces', () => {
    expect(
      validate('Event', { metadata: { name: 'p.1', namespace: 'y' }, involvedObject: involved }),
    ).toEqual(['involvedObject.namespace: Invalid value: "x": does not match event.namespace']);
  });
  it('requires the reporting fields of new-style events', () => {
    const ev = {
      metadata: { name: 'p.1', namespace: 'x' },
      involvedObject: involved,
      eventTime: '2024-01-01T00:00:00.000000Z',
      reportingComponent: 'kubeproc',
    };
    expect(validate('Event', ev)).toEqual([
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
  });
  it('applies path-segment name rules', () => {
    expect(
      validate('Event', { metadata: { name: 'a/b', namespace: 'x' }, involvedObject: involved }),
    ).toEqual(['metadata.name: Invalid value: "a/b": may not contain \'/\'']);
  });
});
