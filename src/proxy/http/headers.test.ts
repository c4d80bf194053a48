import { describe, expect, it } from 'vitest';
import { clientIpOf, endToEnd, firstHeader, RequestIds, upstreamHeaders } from './headers.js';

const pairs = (flat: string[]) =>
  flat.flatMap((v, i) => (i % 2 === 0 ? [`${v}: ${flat[i + 1] ?? ''}`] : []));

describe('headers', () => {
  it('drops hop-by-hop headers and those named in Connection, keeps repeated ones', () => {
    const raw = [
      'Host',
      'a',
      'Connection',
      'keep-alive, X-Hop',
      'Keep-Alive',
      'timeout=5',
      'X-Hop',
      '1',
      'Transfer-Encoding',
      'chunked',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'TE',
      'trailers',
      'Upgrade',
      'websocket',
      'Expect',
      '100-continue',
    ];
    expect(pairs(endToEnd(raw))).toEqual(['Host: a', 'Set-Cookie: a=1', 'Set-Cookie: b=2']);
    expect(pairs(endToEnd(raw, new Set(['upgrade'])))).toContain('Upgrade: websocket');
  });

  it('adds the forwarding headers and appends the client to X-Forwarded-For', () => {
    const { headers, requestId } = upstreamHeaders(
      ['Host', 'shop.example.com', 'X-Forwarded-For', '10.1.1.1', 'X-Real-IP', 'spoof'],
      { clientIp: '127.0.0.5', proto: 'https', port: 443 },
    );
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(pairs(headers)).toEqual([
      'Host: shop.example.com',
      'X-Forwarded-For: 10.1.1.1, 127.0.0.5',
      'X-Forwarded-Host: shop.example.com',
      'X-Forwarded-Port: 443',
      'X-Forwarded-Proto: https',
      'X-Real-IP: 127.0.0.5',
      `X-Request-ID: ${requestId}`,
    ]);
  });

  it('keeps a request id the client sent, and Connection/Upgrade on upgrades', () => {
    const { headers, requestId } = upstreamHeaders(
      ['Host', 'h', 'X-Request-ID', 'abc', 'Connection', 'Upgrade', 'Upgrade', 'websocket'],
      { clientIp: '127.0.0.1', proto: 'http', port: 80 },
      true,
    );
    expect(requestId).toBe('abc');
    expect(pairs(headers)).toEqual(
      expect.arrayContaining(['X-Request-ID: abc', 'Connection: Upgrade', 'Upgrade: websocket']),
    );
    expect(pairs(headers).filter((h) => h.startsWith('X-Request-ID'))).toHaveLength(1);
  });

  it('takes X-Forwarded-For lists from repeated headers and the first Host', () => {
    const { headers } = upstreamHeaders(
      ['host', 'a', 'X-Forwarded-For', '10.0.0.1', 'x-forwarded-for', '10.0.0.2', 'Host', 'b'],
      { clientIp: '127.0.0.9', proto: 'http', port: 80 },
    );
    expect(pairs(headers)).toEqual(
      expect.arrayContaining([
        'X-Forwarded-For: 10.0.0.1, 10.0.0.2, 127.0.0.9',
        'X-Forwarded-Host: a',
      ]),
    );
    expect(firstHeader(['X-A', '1', 'HOST', 'h'], 'host')).toBe('h');
    expect(firstHeader(['X-A', '1'], 'host')).toBeUndefined();
  });

  it('draws request ids of 32 hex digits, all different, across refills of the pool', () => {
    const ids = new RequestIds();
    const drawn = Array.from({ length: 1000 }, () => ids.next());
    expect(drawn.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(drawn).size).toBe(1000);
    const { requestId } = upstreamHeaders(['Host', 'h'], {
      clientIp: '127.0.0.1',
      proto: 'http',
      port: 80,
      ids,
    });
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    [undefined, ''],
  ])('client address %s is %s', (address, expected) => {
    expect(clientIpOf(address)).toBe(expected);
  });
});
