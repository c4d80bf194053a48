import { describe, expect, it } from 'vitest';
import { parseCidr } from './ipv4.js';
import { nodeNetworks, overlapProblem } from './overlap.js';

// Shapes as `ip -j addr` and `ip -j route` print them.
const ADDRS = [
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  {
    ifname: 'eth0',
    addr_info: [
      { family: 'inet', local: '192.168.1.5', prefixlen: 24 },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64 },
    ],
  },
  { ifname: 'kpabc123', addr_info: [{ family: 'inet', local: '10.244.0.1', prefixlen: 16 }] },
];
const ROUTES = [
  { dst: 'default', dev: 'eth0' },
  { dst: '172.16.0.0/12', dev: 'eth1' },
  { dst: '10.244.0.0/16', dev: 'kpabc123' },
  { dst: '10.255.255.53', dev: 'eth0' },
];

function cidr(text: string) {
  const c = parseCidr(text);
  if (!c) {
    throw new Error(`bad test CIDR ${text}`);
  }
  return c;
}

describe('overlap with the node networks', () => {
  const nets = nodeNetworks(ADDRS, ROUTES, new Set(['kpabc123', 'kpsabc123']));

  it.each([
    ['10.244.0.0/16', undefined],
    ['10.96.0.0/12', undefined],
    [
      '192.168.0.0/16',
      "--pod-cidr 192.168.0.0/16 overlaps the node's network 192.168.1.0/24 (address 192.168.1.5/24 on eth0); choose a range that does not",
    ],
    [
      '172.20.0.0/16',
      "--pod-cidr 172.20.0.0/16 overlaps the node's network 172.16.0.0/12 (route 172.16.0.0/12 dev eth1); choose a range that does not",
    ],
    ['10.255.255.0/24', expect.stringContaining('route 10.255.255.53 dev eth0')],
  ])('%s -> %s', (range, want) => {
    expect(overlapProblem('--pod-cidr', cidr(range), nets)).toEqual(want);
  });

  it('ignores the instance own interfaces, loopback and the default route', () => {
    const sources = nets.map((n) => n.source);
    expect(sources.some((s) => s.includes('kpabc123'))).toBe(false);
    expect(sources.some((s) => s.includes('default'))).toBe(false);
    expect(overlapProblem('--service-cidr', cidr('127.96.0.0/16'), nets)).toBeUndefined();
  });
});
