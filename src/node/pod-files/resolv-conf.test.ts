import { describe, expect, it } from 'vitest';
import type { Pod } from '../../apis/core/v1/types.js';
import { formatResolvConf, parseResolvConf, podDnsConfig } from './resolv-conf.js';

const HOST =
  '# node\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.example. lab.example\noptions timeout:2 rotate\n';

function pod(spec: Pod['spec'] = {}): Pod {
  return { metadata: { name: 'p', namespace: 'team', uid: 'u1' }, spec };
}

const cluster = {
  clusterDomain: 'cluster.local',
  clusterDns: ['10.96.0.10'],
  hostResolvConf: HOST,
};

describe('parseResolvConf', () => {
  it.each([
    ['nameserver 1.1.1.1\nnameserver 8.8.8.8\n', ['1.1.1.1', '8.8.8.8'], [], []],
    ['search a b\nsearch c. .\n', [], ['c'], []],
    ['options ndots:1\noptions attempts:3 edns0\n', [], [], ['attempts:3', 'edns0']],
    ['  # nameserver 9.9.9.9\n\nnameserver\n', [], [], []],
  ])('%j', (text, nameservers, searches, options) => {
    expect(parseResolvConf(text)).toEqual({ nameservers, searches, options });
  });
});

describe('podDnsConfig', () => {
  it.each<[string, Pod, typeof cluster | Record<string, unknown>, string]>([
    [
      "ClusterFirst (the default): cluster search path, then the node's",
      pod(),
      cluster,
      'search team.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    ],
    [
      'ClusterFirst on the host network falls back to Default',
      pod({ hostNetwork: true }),
      cluster,
      'search corp.example lab.example\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:2 rotate\n',
    ],
    [
      'ClusterFirstWithHostNet keeps the cluster DNS',
      pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
      cluster,
      'search team.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    ],
    [
      "Default: the node's file",
      pod({ dnsPolicy: 'Default' }),
      cluster,
      'search corp.example lab.example\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:2 rotate\n',
    ],
    [
      'Default without a node resolv.conf: localhost, search root',
      pod({ dnsPolicy: 'Default' }),
      { clusterDomain: 'cluster.local', clusterDns: ['10.96.0.10'] },
      'search .\nnameserver 127.0.0.1\n',
    ],
    [
      'None: only dnsConfig',
      pod({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.2.3.4'],
          searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
      }),
      cluster,
      'search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n',
    ],
    [
      'ClusterFirst + dnsConfig: appended, duplicates dropped, options overridden by name',
      pod({
        dnsConfig: {
          nameservers: ['10.96.0.10', '1.1.1.1'],
          searches: ['svc.cluster.local', 'extra.example'],
          options: [{ name: 'ndots', value: '1' }, { name: 'single-request' }],
        },
      }),
      { ...cluster, hostResolvConf: '' },
      'search team.svc.cluster.local svc.cluster.local cluster.local extra.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:1 single-request\n',
    ],
  ])('%s', (_name, p, opts, want) => {
    const config = podDnsConfig(p, opts as typeof cluster);
    expect(formatResolvConf(config)).toBe(want);
    expect(config.events).toEqual([]);
  });

  it("falls back to Default without a cluster DNS, with the kubelet's event", () => {
    const config = podDnsConfig(pod(), { ...cluster, clusterDns: [] });
    expect(config.nameservers).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(config.events).toEqual([
      {
        reason: 'MissingClusterDNS',
        message:
          'pod: "p_team(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      },
    ]);
  });

  it('keeps three nameservers and says so', () => {
    const p = pod({
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] },
    });
    const config = podDnsConfig(p, cluster);
    expect(config.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(config.events[0]?.message).toBe(
      'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
    );
  });

  it.each([
    ['more than 32 paths', Array.from({ length: 40 }, (_, i) => `d${i}.example`), 32],
    [
      'a line over 2048 characters',
      Array.from({ length: 20 }, (_, i) => `${'x'.repeat(120)}${i}.example`),
      15,
    ],
    ['a path over 253 characters', ['ok.example', `${'y'.repeat(254)}`], 1],
  ])('trims the search line for %s', (_name, searches, kept) => {
    const config = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches } }), cluster);
    expect(config.searches).toHaveLength(kept);
    expect(config.searches.join(' ').length).toBeLessThanOrEqual(2048);
    expect(config.events[0]?.message).toBe(
      `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${config.searches.join(' ')}`,
    );
  });
});
