import { describe, expect, it } from 'vitest';
import { IpPool, IpRangeExhaustedError } from './ipam.js';
import { parseCidr } from './ipv4.js';

function pool(text: string): IpPool {
  const cidr = parseCidr(text);
  if (!cidr) {
    throw new Error(`bad test CIDR ${text}`);
  }
  return new IpPool(cidr);
}

describe('IpPool', () => {
  it('hands out the lowest free address after the gateway, stable per owner', () => {
    const p = pool('10.244.0.0/16');
    expect(p.gateway).toBe('10.244.0.1');
    expect(p.allocate('a')).toBe('10.244.0.2');
    expect(p.allocate('b')).toBe('10.244.0.3');
    expect(p.allocate('a')).toBe('10.244.0.2');
    p.release('a');
    expect(p.allocate('c')).toBe('10.244.0.2');
  });

  it('never hands out network, gateway or broadcast, and says when the range is exhausted', () => {
    const p = pool('10.1.2.0/29');
    const got = ['a', 'b', 'c', 'd', 'e'].map((o) => p.allocate(o));
    expect(got).toEqual(['10.1.2.2', '10.1.2.3', '10.1.2.4', '10.1.2.5', '10.1.2.6']);
    expect(() => p.allocate('f')).toThrow(IpRangeExhaustedError);
    expect(() => p.allocate('f')).toThrow(
      'no IP addresses available in range set: 10.1.2.2-10.1.2.6',
    );
  });

  it.each([
    ['10.1.2.5', true],
    ['10.1.2.0', false],
    ['10.1.2.1', false],
    ['10.1.2.7', false],
    ['10.1.3.2', false],
    ['not-an-ip', false],
  ])('reserve(%s) after a restart -> %s', (ip, ok) => {
    const p = pool('10.1.2.0/29');
    expect(p.reserve(ip, 'adopted')).toBe(ok);
    if (ok) {
      expect(p.addressOf('adopted')).toBe(ip);
      expect(p.allocate('new')).toBe('10.1.2.2');
    }
  });

  it('refuses a range too small for a pod', () => {
    expect(() => pool('10.0.0.0/31')).toThrow(/too small/);
  });
});
