import { describe, expect, it } from 'vitest';
import {
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  parseIP,
} from './ip.js';
import {
  isDomainPrefixedPath,
  isValidPathSegmentName,
  isWildcardDNS1123Subdomain,
} from './names.js';
import { canonicalQuantity, goQuantity, quantitySign } from './quantity.js';

describe('parseIP', () => {
  it.each([
    ['10.0.0.1', true, true],
    ['010.000.000.001', true, true],
    ['::ffff:10.0.0.1', true, true],
    ['fd00::1', true, false],
    ['::', true, false],
    ['1::2::3', false, false],
    ['256.0.0.1', false, false],
    ['10.0.0', false, false],
    ['web', false, false],
    ['fe80::1%eth0', false, false],
  ])('%s', (s, ok, is4) => {
    const ip = parseIP(s);
    expect(ip !== null).toBe(ok);
    if (ip) {
      expect(ip.is4).toBe(is4);
    }
  });

  it.each([
    ['0.0.0.0', isUnspecified],
    ['::', isUnspecified],
    ['127.3.2.1', isLoopback],
    ['::1', isLoopback],
    ['169.254.9.9', isLinkLocalUnicast],
    ['fe80::abcd', isLinkLocalUnicast],
    ['224.0.0.251', isLinkLocalMulticast],
    ['ff02::fb', isLinkLocalMulticast],
  ])('classifies %s', (s, predicate) => {
    expect(predicate(parseIP(s)!)).toBe(true);
    expect(predicate(parseIP('10.1.2.3')!)).toBe(false);
  });
});

describe('name rules', () => {
  it('checks wildcard subdomains', () => {
    expect(isWildcardDNS1123Subdomain('*.example.com')).toEqual([]);
    expect(isWildcardDNS1123Subdomain('a.*.example.com')[0]).toMatch(
      /^a wildcard DNS-1123 subdomain must start with/,
    );
  });

  it.each([
    ['web', []],
    ['.', ["may not be '.'"]],
    ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
  ])('path segment %s', (name, expected) => {
    expect(isValidPathSegmentName(name)).toEqual(expected);
  });

  it('checks domain-prefixed paths', () => {
    expect(isDomainPrefixedPath('f', 'k8s.io/ingress-nginx')).toEqual([]);
    expect(isDomainPrefixedPath('f', '')).toEqual([
      { type: 'FieldValueRequired', field: 'f', detail: 'Required value' },
    ]);
    expect(isDomainPrefixedPath('f', 'a.io/b c')[0]?.detail).toBe(
      `Invalid value: "b c": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
    );
  });
});

describe('quantities', () => {
  it.each([
    [
      '-1',
      'resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1", Format:"DecimalSI"}',
    ],
    [
      '0',
      'resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"0", Format:"DecimalSI"}',
    ],
    [
      '-100m',
      'resource.Quantity{i:resource.int64Amount{value:-100, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-100m", Format:"DecimalSI"}',
    ],
    [
      '-0.5',
      'resource.Quantity{i:resource.int64Amount{value:-5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}',
    ],
    [
      '-1Ki',
      'resource.Quantity{i:resource.int64Amount{value:-1024, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-1Ki", Format:"BinarySI"}',
    ],
  ])('renders %s as Go %#v', (q, expected) => {
    expect(goQuantity(q)).toBe(expected);
  });

  it('reads signs and canonical forms', () => {
    expect([quantitySign('-1'), quantitySign(0), quantitySign('2Gi')]).toEqual([-1, 0, 1]);
    expect(quantitySign('1.2.3')).toEqual({
      error: expect.stringMatching(/^quantities must match/) as unknown,
    });
    expect([canonicalQuantity(100), canonicalQuantity('0.5'), canonicalQuantity('bad')]).toEqual([
      '100',
      '500m',
      'bad',
    ]);
  });
});
