import { describe, expect, it } from 'vitest';
import { Cidr, KUBE_DNS_OFFSET } from './cidr.js';

describe('Cidr.firstFree', () => {
  it('skips the kubernetes Service (.1) and kube-dns (.10) addresses', () => {
    const cidr = Cidr.parse('10.96.0.0/12');
    const used = new Set<string>();
    const got: string[] = [];
    for (let i = 0; i < 10; i++) {
      const ip = cidr.firstFree(used) ?? '';
      used.add(ip);
      got.push(ip);
    }
    expect(got).not.toContain('10.96.0.1');
    expect(got).not.toContain('10.96.0.10');
    expect(got.at(-1)).toBe('10.96.0.12');
    expect(cidr.at(KUBE_DNS_OFFSET)).toBe('10.96.0.10');
    expect(cidr.contains(cidr.at(KUBE_DNS_OFFSET))).toBe(true);
  });
});
