import { describe, expect, it } from 'vitest';
import { addressAt, cidrContains, cidrsOverlap, formatCidr, parseCidr } from './ipv4.js';

function cidr(text: string) {
  const c = parseCidr(text);
  if (!c) {
    throw new Error(`bad test CIDR ${text}`);
  }
  return c;
}

describe('ipv4', () => {
  it.each([
    ['10.244.0.0/16', '10.244.0.0/16'],
    ['10.244.3.7/16', '10.244.0.0/16'],
    ['192.168.1.5/32', '192.168.1.5/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('parses %s as %s', (text, want) => {
    expect(formatCidr(cidr(text))).toBe(want);
  });

  it.each(['10.244.0.0', '10.244.0.0/33', '300.1.1.1/8', 'fd00::/64', ''])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it.each([
    ['10.244.0.0/16', '10.96.0.0/12', false],
    ['10.96.0.0/12', '10.100.0.0/16', true],
    ['10.0.0.0/8', '10.244.5.0/24', true],
    ['10.1.0.0/24', '10.1.1.0/24', false],
    ['10.1.0.0/23', '10.1.1.0/24', true],
  ])('%s and %s overlap: %s', (a, b, want) => {
    expect(cidrsOverlap(cidr(a), cidr(b))).toBe(want);
    expect(cidrsOverlap(cidr(b), cidr(a))).toBe(want);
  });

  it('contains and addressAt', () => {
    const c = cidr('10.96.0.0/12');
    expect(addressAt(c, 1)).toBe('10.96.0.1');
    expect(addressAt(c, 10)).toBe('10.96.0.10');
    expect(cidrContains(c, '10.111.255.255')).toBe(true);
    expect(cidrContains(c, '10.112.0.0')).toBe(false);
  });
});
