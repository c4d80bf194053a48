import { describe, expect, it } from 'vitest';
import { headFacts, toOriginForm } from './request-parser.js';

describe('toOriginForm', () => {
  it.each([
    ['http://shop.test/cart?x=1', '/cart?x=1', 'shop.test'],
    ['HTTP://Shop.test:8080', '/', 'Shop.test:8080'],
    ['https://user@shop.test?q', '/?q', 'shop.test'],
    ['http://[::1]:80/a', '/a', '[::1]:80'],
  ])('takes %s as target %s with Host %s, replacing the Host header', (url, target, host) => {
    const out = toOriginForm(url, ['Host', 'other', 'Accept', '*/*', 'host', 'third']);
    expect(out).toEqual({ url: target, rawHeaders: ['Host', host, 'Accept', '*/*'] });
  });

  it('leaves origin-form requests alone', () => {
    const raw = ['Host', 'a'];
    expect(toOriginForm('/http://x', raw)).toEqual({ url: '/http://x', rawHeaders: raw });
  });
});

describe('headFacts', () => {
  it.each([
    [['Content-Length', '3'], true],
    [['content-length', '0'], false],
    [['Transfer-Encoding', 'chunked'], true],
    [['Host', 'a'], false],
    [[], false],
    [['Content-Length', '12'], true],
  ])('%j: %s', (raw, expected) => {
    expect(headFacts(raw).hasBody).toBe(expected);
  });

  it('takes the first Host and counts them all', () => {
    expect(headFacts(['host', 'a', 'X', '1', 'HOST', 'b'])).toEqual({
      hasBody: false,
      host: 'a',
      hostCount: 2,
    });
  });
});
